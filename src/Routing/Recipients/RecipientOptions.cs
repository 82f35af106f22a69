using Hub.Contracts.Model;

namespace Hub.Routing.Recipients;

/// <summary>
/// All configured recipients, bound from the array at <see cref="Section"/>. One list, so that validation can
/// see the whole table at once (duplicate ids, after-hours fallbacks that name another recipient).
/// </summary>
public sealed class RecipientsOptions
{
    /// <summary>The configuration section: an array of <see cref="RecipientOptions"/>.</summary>
    public const string Section = "Hub:Recipients";

    /// <summary>The recipients, in configuration order.</summary>
    public IList<RecipientOptions> Recipients { get; } = [];
}

/// <summary>One agency that receives notifications: who it is, where it works, what it wants, when and how.</summary>
public sealed class RecipientOptions
{
    /// <summary>Stable id (queue names, ledger entries and acknowledgments use it). Lower-case letters, digits, '-'.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name, also written to the accounting of disclosures.</summary>
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="RecipientKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Postal address of the recipient, for the accounting of disclosures (45 CFR 164.528).</summary>
    public string? Address { get; set; }

    /// <summary>Where the recipient works.</summary>
    public JurisdictionOptions Jurisdiction { get; set; } = new();

    /// <summary>What the recipient wants to hear about; empty lists mean "any".</summary>
    public RecipientFilterOptions Filters { get; set; } = new();

    /// <summary>Working hours; null means always on duty.</summary>
    public HoursOptions? Hours { get; set; }

    /// <summary>How notifications reach the recipient.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>The disclosure profile the recipient asks for (the privacy stage decides what it gets).</summary>
    public string? Profile { get; set; }

    /// <summary>Base64 key for this recipient's pseudonyms. Secret: set it from the environment, never appsettings.json.</summary>
    public string? PseudonymKey { get; set; }

    /// <summary>True when the recipient (usually a health department) receives spike alerts for its counties.</summary>
    public bool ReceivesSpikeAlerts { get; set; }
}

/// <summary>The recipient kinds the hub knows.</summary>
public static class RecipientKinds
{
    /// <summary>Post-overdose outreach team.</summary>
    public const string OutreachTeam = "outreach-team";

    /// <summary>Peer recovery program.</summary>
    public const string PeerRecovery = "peer-recovery";

    /// <summary>Harm-reduction program.</summary>
    public const string HarmReduction = "harm-reduction";

    /// <summary>Local or state health department.</summary>
    public const string HealthDepartment = "health-department";

    /// <summary>All kinds.</summary>
    public static IReadOnlyList<string> All { get; } = [OutreachTeam, PeerRecovery, HarmReduction, HealthDepartment];
}

/// <summary>A recipient's jurisdiction: any of the parts may be given; an event inside any part matches.</summary>
public sealed class JurisdictionOptions
{
    /// <summary>Counties as 5-digit FIPS codes (state + county), e.g. <c>42091</c>.</summary>
    public IList<string> CountyFips { get; } = [];

    /// <summary>Municipalities by name and state.</summary>
    public IList<MunicipalityOptions> Municipalities { get; } = [];

    /// <summary>5-digit ZIP codes.</summary>
    public IList<string> ZipCodes { get; } = [];

    /// <summary>A GeoJSON file (Polygon, MultiPolygon, Feature or FeatureCollection, WGS 84); relative to the working directory.</summary>
    public string? PolygonFile { get; set; }
}

/// <summary>A municipality (city, town, township) by name within a state.</summary>
public sealed class MunicipalityOptions
{
    /// <summary>Name as the sources write it (case and extra spaces ignored).</summary>
    public string Name { get; set; } = "";

    /// <summary>Two-letter USPS state code.</summary>
    public string State { get; set; } = "";
}

/// <summary>Per-recipient filters. An empty list accepts every value.</summary>
public sealed class RecipientFilterOptions
{
    /// <summary>Source kinds the recipient accepts.</summary>
    public IList<SourceKind> SourceKinds { get; } = [];

    /// <summary>Substance classes the recipient accepts.</summary>
    public IList<SubstanceClass> Substances { get; } = [];

    /// <summary><c>any</c>, <c>fatal</c> or <c>non-fatal</c> (unknown outcome counts as non-fatal).</summary>
    public string Fatal { get; set; } = FatalFilter.Any;

    /// <summary><c>include</c> or <c>exclude</c> (under 18; unknown age is included).</summary>
    public string Minors { get; set; } = MinorsPolicy.Include;

    /// <summary>Dispositions the recipient accepts, e.g. RefusedTransport and NoTransport for leave-behind follow-up.</summary>
    public IList<DispositionKind> Dispositions { get; } = [];
}

/// <summary>Values of <see cref="RecipientFilterOptions.Fatal"/>.</summary>
public static class FatalFilter
{
    /// <summary>Fatal and non-fatal.</summary>
    public const string Any = "any";

    /// <summary>Only deaths.</summary>
    public const string Fatal = "fatal";

    /// <summary>Only events not known to be fatal.</summary>
    public const string NonFatal = "non-fatal";
}

/// <summary>Values of <see cref="RecipientFilterOptions.Minors"/>.</summary>
public static class MinorsPolicy
{
    /// <summary>Events about minors are sent.</summary>
    public const string Include = "include";

    /// <summary>Events about a person known to be under 18 are not sent.</summary>
    public const string Exclude = "exclude";
}

/// <summary>When a recipient is on duty, and who covers for it otherwise.</summary>
public sealed class HoursOptions
{
    /// <summary>IANA time zone id, e.g. <c>America/New_York</c>.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>On-duty days (e.g. Monday); empty means every day.</summary>
    public IList<DayOfWeek> Days { get; } = [];

    /// <summary>Start of duty, local time (inclusive).</summary>
    public TimeOnly Start { get; set; }

    /// <summary>End of duty, local time (exclusive). Earlier than <see cref="Start"/> means the shift runs past midnight.</summary>
    public TimeOnly End { get; set; }

    /// <summary>The recipient that receives the event off duty; null keeps it for this recipient (queued until it reads).</summary>
    public string? AfterHoursRecipientId { get; set; }
}

/// <summary>How notifications are delivered (the host implements the channels).</summary>
public sealed class DeliveryOptions
{
    /// <summary><c>queue</c> (own RabbitMQ queue), <c>webhook</c> or <c>inbox</c> (hub web console).</summary>
    public string Channel { get; set; } = DeliveryChannels.Queue;

    /// <summary>HTTPS URL for <c>webhook</c>.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>HMAC secret for <c>webhook</c>. Secret: set it from the environment.</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>Values of <see cref="DeliveryOptions.Channel"/>.</summary>
public static class DeliveryChannels
{
    /// <summary>The recipient's own durable RabbitMQ queue.</summary>
    public const string Queue = "queue";

    /// <summary>Signed HTTPS POST.</summary>
    public const string Webhook = "webhook";

    /// <summary>The hub's web inbox.</summary>
    public const string Inbox = "inbox";
}
