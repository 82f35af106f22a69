namespace Hub.Adapters.Cad;

/// <summary>A CAD feed profile: how to read one agency's calls-for-service CSV. See docs/feeds/cad.md.</summary>
public sealed class CadFeedProfile
{
    /// <summary>Profile name and version, for the ledger.</summary>
    public string Name { get; set; } = "";

    /// <summary>Field delimiter.</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>Encoding when the file has no BOM: utf-8, windows-1252, iso-8859-1.</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>Column names (with aliases) for each field the hub reads.</summary>
    public Dictionary<string, CadColumn> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Call types that mean overdose, exact (case-insensitive).</summary>
    public List<string> OverdoseCallTypes { get; set; } = [];

    /// <summary>Call-type patterns (regular expressions) that mean overdose.</summary>
    public List<string> OverdoseCallTypePatterns { get; set; } = [];
}

/// <summary>One mapped column.</summary>
public sealed class CadColumn
{
    /// <summary>The header name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Other header names the column has had (schema drift).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Format for time columns (.NET custom format), when not ISO 8601.</summary>
    public string? Format { get; set; }
}
