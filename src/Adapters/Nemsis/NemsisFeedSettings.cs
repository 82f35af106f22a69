namespace Hub.Adapters.Nemsis;

/// <summary>Settings of a NEMSIS feed.</summary>
public sealed class NemsisFeedSettings
{
    /// <summary><c>lenient</c> (default: XSD problems are warnings) or <c>strict</c> (a PCR that fails the XSD is rejected).</summary>
    public string Validation { get; set; } = "lenient";

    /// <summary>
    /// Folder holding the official NEMSIS XSDs (EMSDataSet_v3.xsd and its includes), needed for strict mode. In lenient
    /// mode it is optional: when set, XSD problems are recorded as warnings; when absent, no XSD check is made (fastest).
    /// </summary>
    public string? XsdFolder { get; set; }

    /// <summary>Largest document accepted, in characters (about bytes for UTF-8; 0 = no limit). Caps a hostile file.</summary>
    public long MaxDocumentBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted (EMSDataSet nests about 8 deep). Deeper input ends the file with a reject.</summary>
    public int MaxElementDepth { get; set; } = 64;

    /// <summary>Longest single element value read, in characters (the narrative is the longest). Longer rejects the PCR.</summary>
    public int MaxValueCharacters { get; set; } = 1024 * 1024;

    /// <summary>How many records between two progress reports (log line and callback); 0 disables periodic reports.</summary>
    public int ProgressInterval { get; set; } = 10_000;
}
