using System.Text.Json;

namespace Hub.Deidentification.Profiles;

/// <summary>
/// A versioned list of three-digit ZIP areas with 20,000 people or fewer (per a decennial census), which Safe Harbor
/// turns into <c>000</c>. Configuration, reviewed like code.
/// </summary>
public sealed record RestrictedZip3List
{
    /// <summary>The list version (the census year), e.g. <c>2000</c>, <c>2020</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Where the list comes from.</summary>
    public required string Source { get; init; }

    /// <summary>How far the list can be relied on: <c>published</c> (as its source published it) or <c>computed</c> (computed with <see cref="Zip3Populations"/> from the census table its source names).</summary>
    public string Status { get; init; } = "unspecified";

    /// <summary>The restricted three-digit prefixes: areas whose ZCTAs hold 20,000 people or fewer in all.</summary>
    public required IReadOnlySet<string> Restricted { get; init; }

    /// <summary>
    /// Prefixes under which the census tabulated no ZCTA at all (unassigned, P.O.-box-only or military prefixes). An area
    /// with no counted people holds fewer than 20,000, so these become <c>000</c> too. Empty for lists that do not say.
    /// </summary>
    public IReadOnlySet<string> Unpopulated { get; init; } = EmptySet;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>True when the prefix must become 000.</summary>
    public bool IsRestricted(string zip3) => Restricted.Contains(zip3) || Unpopulated.Contains(zip3);

    /// <summary>Reads a list from its JSON text (<c>{"version","source","restricted":[...],"unpopulated":[...]}</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The file name, for messages.</param>
    /// <exception cref="ProfileValidationException">The list is malformed.</exception>
    public static RestrictedZip3List Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var source = root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var status = root.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
            var set = root.TryGetProperty("restricted", out var r) && r.ValueKind == JsonValueKind.Array
                ? ReadPrefixes(r, "restricted", sourceName, problems)
                : null;
            if (set is null)
            {
                problems.Add($"{sourceName}: 'restricted' array missing");
            }

            var unpopulated = !root.TryGetProperty("unpopulated", out var u) ? EmptySet
                : u.ValueKind == JsonValueKind.Array ? ReadPrefixes(u, "unpopulated", sourceName, problems)
                : null;
            if (unpopulated is null)
            {
                problems.Add($"{sourceName}: 'unpopulated' is not an array");
            }

            if (version is null)
            {
                problems.Add($"{sourceName}: 'version' missing");
            }

            if (source is null)
            {
                problems.Add($"{sourceName}: 'source' missing");
            }

            return problems.Count > 0
                ? throw new ProfileValidationException(problems)
                : new RestrictedZip3List { Version = version!, Source = source!, Status = status ?? "unspecified", Restricted = set!, Unpopulated = unpopulated! };
        }
        catch (JsonException ex)
        {
            throw new ProfileValidationException($"{sourceName}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static HashSet<string> ReadPrefixes(JsonElement array, string property, string sourceName, List<string> problems)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var zip3 = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (zip3 is not { Length: 3 } || !zip3.All(char.IsAsciiDigit))
            {
                problems.Add($"{sourceName}: '{property}' item '{item.GetRawText()}' is not a three-digit ZIP prefix");
            }
            else if (!set.Add(zip3))
            {
                problems.Add($"{sourceName}: '{property}' lists '{zip3}' twice");
            }
        }

        return set;
    }
}
