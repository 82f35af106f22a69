namespace Hub.Adapters.Fhir;

/// <summary>Settings of a FHIR feed (section <c>Hub:Feeds[n]:Fhir</c>).</summary>
public sealed class FhirFeedSettings
{
    /// <summary>
    /// SHA-256 (lower-case hex) of the feed's API key for <c>POST /fhir</c>; the key itself is never stored. The key
    /// identifies the feed: a request needs no feed id. Compute with <c>printf %s "$KEY" | sha256sum</c>.
    /// </summary>
    public string? ApiKeySha256 { get; set; }

    /// <summary>Largest request body accepted, in bytes (413 above it).</summary>
    public long MaxRequestBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest NDJSON line accepted, in bytes; a longer line is a reject and reading goes on.</summary>
    public int MaxLineBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Folder for the temporary index of a large NDJSON read (and for a copy of an NDJSON stream that cannot seek); null
    /// means <see cref="Path.GetTempPath"/>. Needs free space of roughly a tenth of the input (the whole input for a
    /// non-seekable stream). Files are deleted when the read ends, fails or is cancelled.
    /// </summary>
    public string? TempFolder { get; set; }

    /// <summary>Extra SNOMED CT concepts counted as opioid overdose by this feed (local extension of the value set).</summary>
    public IList<string> AdditionalOpioidSnomedCodes { get; init; } = [];

    /// <summary>Extra RxNorm codes counted as rescue naloxone by this feed.</summary>
    public IList<string> AdditionalNaloxoneRxNorm { get; init; } = [];
}
