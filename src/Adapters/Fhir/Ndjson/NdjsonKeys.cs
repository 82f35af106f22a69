using Hub.Adapters.Fhir.Model;

namespace Hub.Adapters.Fhir.Ndjson;

/// <summary>
/// Seeded 64-bit hashes of reference keys (<c>Type/id</c>) and identifier keys (<c>Type|system|value</c>), so the
/// on-disk index stores integers, not identifiers. A collision can only add a resource to an encounter's small index;
/// references are then resolved on the real strings by <see cref="FhirResourceIndex"/>, so a collision never links
/// wrong resources. The seed is random per read, so colliding keys cannot be crafted in advance.
/// </summary>
internal readonly struct NdjsonKeys(ulong seed)
{
    /// <summary>Hash of <c>Type/id</c>.</summary>
    public long OfKey(string type, string id)
    {
        var h = Start();
        h = Add(h, type);
        h = Add(h, '/');
        h = Add(h, id);
        return Finish(h);
    }

    /// <summary>Hash of a key already written <c>Type/id</c>.</summary>
    public long OfKey(ReadOnlySpan<char> key) => Finish(Add(Start(), key));

    /// <summary>Hash of the identifier key <see cref="FhirResourceIndex"/> uses (<c>type|system|value</c>).</summary>
    public long OfIdentifier(string type, string? system, string value)
    {
        var h = Start();
        h = Add(h, '#'); // a different space than Type/id keys
        h = Add(h, type);
        h = Add(h, '|');
        h = Add(h, system ?? "");
        h = Add(h, '|');
        h = Add(h, value);
        return Finish(h);
    }

    /// <summary>
    /// The <c>Type/id</c> a literal reference names, as the Bulk export reader has always decided what to keep:
    /// null for conditional, contained, <c>urn:</c> and one-segment references (those are resolved otherwise).
    /// </summary>
    public static ReadOnlySpan<char> KeyOf(ResourceReference? reference)
    {
        var literal = (reference?.Reference ?? "").AsSpan();
        if (literal.IsEmpty || literal.Contains('?') || literal[0] == '#' || literal.StartsWith("urn:", StringComparison.Ordinal))
        {
            return default;
        }

        var history = literal.IndexOf("/_history/", StringComparison.Ordinal);
        if (history > 0)
        {
            literal = literal[..history];
        }

        var last = literal.LastIndexOf('/');
        if (last <= 0)
        {
            return default;
        }

        var previous = literal[..last].LastIndexOf('/');
        return literal[(previous + 1)..];
    }

    /// <summary>
    /// For a conditional (<c>Type?identifier=system|value</c>) or logical (identifier + type) reference: the type and
    /// identifier hash <see cref="FhirResourceIndex"/> would look up; false when it would not look up an identifier.
    /// </summary>
    public bool TryIdentifierOf(ResourceReference? reference, out string type, out long hash)
    {
        type = "";
        hash = 0;
        if (reference is null)
        {
            return false;
        }

        var literal = reference.Reference;
        if (string.IsNullOrEmpty(literal))
        {
            if (reference.Identifier is { Value: { } value } logical && reference.Type is not null)
            {
                type = reference.Type;
                hash = OfIdentifier(type, logical.System, value);
                return true;
            }

            return false;
        }

        var query = literal.IndexOf('?', StringComparison.Ordinal);
        if (literal[0] == '#' || query <= 0)
        {
            return false;
        }

        const string Prefix = "identifier=";
        var parameters = literal[(query + 1)..];
        if (!parameters.StartsWith(Prefix, StringComparison.Ordinal) || parameters.Contains('&', StringComparison.Ordinal))
        {
            return false;
        }

        type = literal[..query];
        var token = Uri.UnescapeDataString(parameters[Prefix.Length..]);
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        hash = bar >= 0 ? OfIdentifier(type, token[..bar], token[(bar + 1)..]) : OfIdentifier(type, null, token);
        return true;
    }

    private ulong Start() => seed ^ 14695981039346656037UL;

    private static ulong Add(ulong h, char c) => (h ^ c) * 1099511628211UL;

    private static ulong Add(ulong h, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    private static long Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb93fe53ab00bUL;
        h ^= h >> 33;
        return (long)h;
    }
}
