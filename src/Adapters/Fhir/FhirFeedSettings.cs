namespace Hub.Adapters.Fhir;

/// <summary>Settings of a FHIR feed.</summary>
public sealed class FhirFeedSettings
{
    /// <summary>SHA-256 (hex) of the feed's API key for <c>POST /fhir</c>; the key itself is never stored.</summary>
    public string? ApiKeySha256 { get; set; }

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 50L * 1024 * 1024;
}
