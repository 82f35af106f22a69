using System.ComponentModel.DataAnnotations;

namespace Hub.Host.Configuration;

/// <summary>The hub's HTTP listener (section <c>Hub:Web</c>): health endpoints, FHIR intake, console.</summary>
internal sealed class WebOptions
{
    public const string Section = "Hub:Web";

    /// <summary>Listen URLs, semicolon-separated. Loopback by default; put a reverse proxy in front in production.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}
