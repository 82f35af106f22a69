using CsvHelper;

namespace Hub.Adapters.Cad;

/// <summary>
/// The profile's column map resolved against one file's header: each field's column index (first of name and aliases
/// present), the header name actually found, and the fields that are missing.
/// </summary>
internal sealed class CadColumnMap
{
    private CadColumnMap(int expectedFieldCount, IReadOnlyList<string> header)
    {
        ExpectedFieldCount = expectedFieldCount;
        Header = header;
    }

    /// <summary>Fields per record (the header's count, or the first record's for files without a header).</summary>
    public int ExpectedFieldCount { get; }

    /// <summary>The header names (empty without a header row).</summary>
    public IReadOnlyList<string> Header { get; }

    public Dictionary<CadField, ResolvedColumn> Found { get; } = [];

    /// <summary>Mapped fields whose column is not in the file, with the names looked for.</summary>
    public Dictionary<CadField, string> Missing { get; } = [];

    public ResolvedColumn? this[CadField field] => Found.GetValueOrDefault(field);

    /// <summary>Resolves <paramref name="profile"/> against the header record (or the first data record when there is no header).</summary>
    public static CadColumnMap Resolve(CompiledCadProfile profile, IParser parser)
    {
        var header = new string[parser.Count];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = profile.Source.HasHeaderRow ? parser[i]?.Trim() ?? "" : "";
        }

        var map = new CadColumnMap(header.Length, profile.Source.HasHeaderRow ? header : []);
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            byName.TryAdd(header[i], i);
        }

        foreach (var (field, spec) in profile.Columns)
        {
            var parts = spec.Parts ?? [spec];
            var indices = new int[parts.Count];
            var labels = new string[parts.Count];
            var ok = true;
            for (var p = 0; p < parts.Count && ok; p++)
            {
                ok = TryFind(parts[p], byName, header, out indices[p], out labels[p]);
            }

            if (ok)
            {
                map.Found[field] = new ResolvedColumn(spec, indices, string.Join('+', labels));
            }
            else
            {
                map.Missing[field] = string.Join(" or ", (spec.Parts ?? [spec]).SelectMany(Describe));
            }
        }

        return map;
    }

    private static bool TryFind(CadColumnSpec spec, Dictionary<string, int> byName, string[] header, out int index, out string label)
    {
        if (spec.Index is { } pinned)
        {
            index = pinned;
            label = pinned < header.Length && header[pinned].Length > 0 ? header[pinned] : "#" + pinned;
            return pinned < header.Length;
        }

        foreach (var name in spec.Names)
        {
            if (byName.TryGetValue(name, out index))
            {
                label = header[index];
                return true;
            }
        }

        index = -1;
        label = spec.Label;
        return false;
    }

    private static IEnumerable<string> Describe(CadColumnSpec spec) =>
        spec.Index is { } index ? ["#" + index] : spec.Names.Select(n => "'" + n + "'");
}

/// <summary>A field found in the file: its spec, the column index of each part, and the header name(s) for messages.</summary>
internal sealed record ResolvedColumn(CadColumnSpec Spec, int[] Indices, string Label)
{
    /// <summary>The raw value (parts joined by a space, empty parts skipped), trimmed; "" when the record is too short.</summary>
    public string Raw(IParser parser)
    {
        if (Indices.Length == 1)
        {
            var i = Indices[0];
            return i < parser.Count ? Trim(parser[i]) : "";
        }

        var joined = "";
        foreach (var i in Indices)
        {
            var part = i < parser.Count ? Trim(parser[i]) : "";
            if (part.Length > 0)
            {
                joined = joined.Length == 0 ? part : joined + " " + part;
            }
        }

        return joined;
    }

    /// <summary>The value after the column's Extract expression; null when Extract is set and does not match.</summary>
    public string? Value(IParser parser)
    {
        var raw = Raw(parser);
        if (Spec.Extract is null || raw.Length == 0)
        {
            return raw;
        }

        try
        {
            var match = Spec.Extract.Match(raw);
            return match.Success ? match.Groups[1].Value.Trim() : null;
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static string Trim(string? value) =>
        value is null ? "" : value.Length == 0 || (!char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])) ? value : value.Trim();
}
