using System.ComponentModel.DataAnnotations;
using Hub.Adapters.Cad;
using Hub.Adapters.Fhir;
using Hub.Adapters.Nemsis;

namespace Hub.Adapters.Feeds;

/// <summary>
/// One configured feed (configuration section <c>Hub:Feeds</c>, an array). JSON shape:
/// <code>{ "Id": "sdpd-cad", "Kind": "Cad", "AgencyId": "sdpd", "Inbox": "./data/inbox/sdpd", "TimeZone": "America/Los_Angeles", "Cad": { ... } }</code>
/// </summary>
public sealed class FeedOptions
{
    /// <summary>The feed's id, unique in the hub.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "Feed Id must be lower-case letters, digits, '.', '_' or '-' (at most 64).")]
    public string Id { get; set; } = "";

    /// <summary>The format.</summary>
    public FeedKind Kind { get; set; }

    /// <summary>The source agency (a covered entity or police agency).</summary>
    [Required]
    public string AgencyId { get; set; } = "";

    /// <summary>Folder the watcher claims files from; null for HTTP-only feeds.</summary>
    public string? Inbox { get; set; }

    /// <summary>IANA time zone for timestamps without an offset.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Case-definition scope: <c>opioid</c> (default) or <c>all-drug</c> (in addition to opioid).</summary>
    public string DefinitionScope { get; set; } = "opioid";

    /// <summary>Keep free-text narrative on events (disclosed only to profiles that name it).</summary>
    public bool KeepNarrative { get; set; }

    /// <summary>NEMSIS settings, when <see cref="Kind"/> is Nemsis.</summary>
    public NemsisFeedSettings Nemsis { get; set; } = new();

    /// <summary>FHIR settings, when <see cref="Kind"/> is Fhir.</summary>
    public FhirFeedSettings Fhir { get; set; } = new();

    /// <summary>CAD profile, when <see cref="Kind"/> is Cad; or a path to a profile JSON file in <see cref="CadProfileFile"/>.</summary>
    public CadFeedProfile? Cad { get; set; }

    /// <summary>Path of a CAD profile JSON file (an alternative to <see cref="Cad"/> inline).</summary>
    public string? CadProfileFile { get; set; }
}
