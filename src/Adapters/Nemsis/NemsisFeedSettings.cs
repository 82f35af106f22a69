namespace Hub.Adapters.Nemsis;

/// <summary>Settings of a NEMSIS feed.</summary>
public sealed class NemsisFeedSettings
{
    /// <summary><c>lenient</c> (default: XSD problems are warnings) or <c>strict</c> (a PCR that fails the XSD is rejected).</summary>
    public string Validation { get; set; } = "lenient";

    /// <summary>Folder holding the official NEMSIS XSDs (EMSDataSet_v3.xsd and its includes), needed for strict mode.</summary>
    public string? XsdFolder { get; set; }

    /// <summary>Largest document accepted, in bytes (0 = no limit).</summary>
    public long MaxDocumentBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted.</summary>
    public int MaxElementDepth { get; set; } = 64;
}
