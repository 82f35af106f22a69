using Hub.Adapters.Fhir.Model;

namespace Hub.Adapters.Fhir;

/// <summary>The outcome of resolving one reference.</summary>
internal enum ReferenceStatus
{
    /// <summary>Resolved.</summary>
    Found,

    /// <summary>The reference has no literal or logical target.</summary>
    Empty,

    /// <summary>No resource matches, and resources of that type are present: a broken reference.</summary>
    NotFound,

    /// <summary>No resource matches, and the input holds no resource of that type at all (a partial Bulk export).</summary>
    TypeAbsent,

    /// <summary>A conditional reference matches more than one resource.</summary>
    Ambiguous,
}

/// <summary>
/// Resolves R4 references inside one input (a Bundle, an NDJSON file, or the kept part of a Bulk export): by
/// <c>#contained</c> id, by <c>fullUrl</c> (<c>urn:uuid:</c> or absolute), by <c>Type/id</c> (also at the end of an
/// absolute URL, <c>_history</c> dropped), conditionally (<c>Type?identifier=system|value</c>) and by logical identifier.
/// Links Conditions, Observations and medications to their Encounter and Consents to their Patient.
/// </summary>
internal sealed class FhirResourceIndex
{
    private readonly Dictionary<string, Resource> byKey = new(StringComparer.Ordinal);
    private readonly List<Resource> all = [];
    private readonly List<Resource> linked = [];
    private Dictionary<string, List<Resource>>? byIdentifier;
    private HashSet<string>? typesPresent;
    private Dictionary<Resource, List<Resource>>? byEncounter;
    private Dictionary<Resource, List<Consent>>? consentsByPatient;

    /// <summary>
    /// Resource types known to exist in the whole input even when not kept (Bulk export first pass), and the types of
    /// every resource added. Built on first use: a Bundle whose references all resolve never needs it.
    /// </summary>
    public HashSet<string> TypesPresent
    {
        get
        {
            if (typesPresent is null)
            {
                typesPresent = new(StringComparer.Ordinal);
                foreach (var resource in all)
                {
                    typesPresent.Add(resource.ResourceType ?? "");
                }
            }

            return typesPresent;
        }
    }

    /// <summary>Adds a resource under its fullUrl (if any) and Type/id.</summary>
    public void Add(Resource resource, string? fullUrl)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var type = resource.ResourceType ?? "";
        all.Add(resource);
        typesPresent?.Add(type);
        if (!string.IsNullOrEmpty(fullUrl))
        {
            byKey.TryAdd(fullUrl, resource);
        }

        if (!string.IsNullOrEmpty(resource.Id))
        {
            byKey.TryAdd(string.Concat(type, "/", resource.Id), resource);
        }

        if (byIdentifier is not null)
        {
            AddIdentifiers(byIdentifier, resource);
        }

        if (resource is Condition or Observation or MedicationAdministration or MedicationStatement or Consent)
        {
            linked.Add(resource);
            byEncounter = null;
            consentsByPatient = null;
        }
    }

    /// <summary>True when at least one resource of the type is in the input.</summary>
    public bool HasType(string type) => TypesPresent.Contains(type);

    /// <summary>Indexes the business identifiers of a resource (in the order resources were added, as conditional matches need).</summary>
    private static void AddIdentifiers(Dictionary<string, List<Resource>> index, Resource resource)
    {
        var type = resource.ResourceType ?? "";
        foreach (var identifier in resource.Identifiers)
        {
            if (identifier.Value is null)
            {
                continue;
            }

            var key = IdentifierKey(type, identifier.System, identifier.Value);
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(resource);
        }
    }

    /// <summary>The identifier index, built on the first conditional or logical reference.</summary>
    private Dictionary<string, List<Resource>> ByIdentifier()
    {
        if (byIdentifier is null)
        {
            byIdentifier = new(StringComparer.Ordinal);
            foreach (var resource in all)
            {
                AddIdentifiers(byIdentifier, resource);
            }
        }

        return byIdentifier;
    }

    /// <summary>Resolves a reference seen inside <paramref name="container"/> (for <c>#id</c>).</summary>
    public ReferenceStatus Resolve(ResourceReference? reference, Resource? container, out Resource? target)
    {
        target = null;
        if (reference is null)
        {
            return ReferenceStatus.Empty;
        }

        var literal = reference.Reference;
        if (string.IsNullOrEmpty(literal))
        {
            if (reference.Identifier is { Value: not null } logical && reference.Type is not null)
            {
                return FromIdentifier(IdentifierKey(reference.Type, logical.System, logical.Value), reference.Type, out target);
            }

            return ReferenceStatus.Empty;
        }

        if (literal[0] == '#')
        {
            var id = literal.AsSpan(1);
            foreach (var contained in container?.Contained ?? [])
            {
                if (id.SequenceEqual(contained.Id))
                {
                    target = contained;
                    return ReferenceStatus.Found;
                }
            }

            return ReferenceStatus.NotFound;
        }

        if (byKey.TryGetValue(literal, out target))
        {
            return ReferenceStatus.Found;
        }

        var query = literal.IndexOf('?', StringComparison.Ordinal);
        if (query > 0)
        {
            return ResolveConditional(literal, query, out target);
        }

        var relative = RelativePart(literal, out var type);
        if (relative is not null && byKey.TryGetValue(relative, out target))
        {
            return ReferenceStatus.Found;
        }

        var expected = type ?? reference.Type;
        return expected is not null && !HasType(expected) ? ReferenceStatus.TypeAbsent : ReferenceStatus.NotFound;
    }

    /// <summary>The resource type a reference names (from its literal or its type element), for messages.</summary>
    public static string? TypeOf(ResourceReference? reference)
    {
        if (reference?.Reference is { } literal)
        {
            var query = literal.IndexOf('?', StringComparison.Ordinal);
            if (query > 0)
            {
                return literal[..query];
            }

            RelativePart(literal, out var type);
            if (type is not null)
            {
                return type;
            }
        }

        return reference?.Type;
    }

    /// <summary>Conditions, Observations, MedicationAdministrations and MedicationStatements of an Encounter.</summary>
    public IReadOnlyList<Resource> LinkedTo(Encounter encounter)
    {
        Link();
        return byEncounter!.TryGetValue(encounter, out var list) ? list : [];
    }

    /// <summary>Consents about a Patient.</summary>
    public IReadOnlyList<Consent> ConsentsOf(Patient patient)
    {
        Link();
        return consentsByPatient!.TryGetValue(patient, out var list) ? list : [];
    }

    private void Link()
    {
        if (byEncounter is not null && consentsByPatient is not null)
        {
            return;
        }

        byEncounter = new(ReferenceEqualityComparer.Instance);
        consentsByPatient = new(ReferenceEqualityComparer.Instance);
        foreach (var resource in linked)
        {
            if (resource is Consent consent)
            {
                if (Resolve(consent.Patient, consent, out var who) == ReferenceStatus.Found && who is Patient patient)
                {
                    if (!consentsByPatient.TryGetValue(patient, out var consents))
                    {
                        consentsByPatient[patient] = consents = [];
                    }

                    consents.Add(consent);
                }

                continue;
            }

            var encounterReference = resource switch
            {
                Condition c => c.Encounter,
                Observation o => o.Encounter,
                MedicationAdministration m => m.Context,
                MedicationStatement s => s.Context,
                _ => null,
            };
            if (Resolve(encounterReference, resource, out var target) == ReferenceStatus.Found && target is Encounter encounter)
            {
                if (!byEncounter.TryGetValue(encounter, out var list))
                {
                    byEncounter[encounter] = list = [];
                }

                list.Add(resource);
            }
        }
    }

    private ReferenceStatus ResolveConditional(string literal, int query, out Resource? target)
    {
        target = null;
        var type = literal[..query];
        var parameters = literal[(query + 1)..];
        const string Prefix = "identifier=";
        if (!parameters.StartsWith(Prefix, StringComparison.Ordinal) || parameters.Contains('&', StringComparison.Ordinal))
        {
            return ReferenceStatus.NotFound;
        }

        var token = Uri.UnescapeDataString(parameters[Prefix.Length..]);
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var key = bar >= 0 ? IdentifierKey(type, token[..bar], token[(bar + 1)..]) : IdentifierKey(type, null, token);
        return FromIdentifier(key, type, out target);
    }

    private ReferenceStatus FromIdentifier(string key, string type, out Resource? target)
    {
        target = null;
        if (!ByIdentifier().TryGetValue(key, out var matches))
        {
            return HasType(type) ? ReferenceStatus.NotFound : ReferenceStatus.TypeAbsent;
        }

        var distinct = matches.Distinct(ReferenceEqualityComparer.Instance).ToList();
        if (distinct.Count > 1)
        {
            return ReferenceStatus.Ambiguous;
        }

        target = (Resource)distinct[0]!;
        return ReferenceStatus.Found;
    }

    private static string? RelativePart(string literal, out string? type)
    {
        type = null;
        var text = literal;
        var history = text.IndexOf("/_history/", StringComparison.Ordinal);
        if (history > 0)
        {
            text = text[..history];
        }

        var last = text.LastIndexOf('/');
        if (last <= 0 || last == text.Length - 1)
        {
            return null;
        }

        var previous = text.LastIndexOf('/', last - 1);
        var typeName = text[(previous + 1)..last];
        if (typeName.Length == 0 || !char.IsAsciiLetterUpper(typeName[0]))
        {
            return null;
        }

        type = typeName;
        return text[(previous + 1)..];
    }

    private static string IdentifierKey(string type, string? system, string value) => string.Concat(type, "|", system ?? "", "|", value);
}
