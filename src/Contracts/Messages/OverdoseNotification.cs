using Hub.Contracts.Model;
using MassTransit;

namespace Hub.Contracts.Messages;

/// <summary>
/// Outbound: what one recipient agency is told about one person-episode, after the consent decision and the
/// recipient's disclosure profile were applied. Every field absent here was not disclosed. A later source can
/// enrich the episode: the hub then sends a new version with the same <see cref="EpisodeId"/> that supersedes
/// the earlier one. Which fields carry PHI depends on the profile named in <see cref="Profile"/>.
/// </summary>
[MessageUrn("hub:overdose-notification:v1")]
public sealed record OverdoseNotification
{
    /// <summary>Stable id of this notification version (same episode, version and recipient → same id). No PHI.</summary>
    public required Guid NotificationId { get; init; }

    /// <summary>The hub's id for the person-episode (EMS run + ED visit + police call). No PHI.</summary>
    public required Guid EpisodeId { get; init; }

    /// <summary>Version of the episode this notification describes, from 1. No PHI.</summary>
    public required int EpisodeVersion { get; init; }

    /// <summary>The notification this one replaces, for versions after the first. No PHI.</summary>
    public Guid? Supersedes { get; init; }

    /// <summary>The receiving agency's configured id. No PHI.</summary>
    public required string RecipientId { get; init; }

    /// <summary>When the hub created this notification, UTC. No PHI.</summary>
    public required DateTimeOffset OccurredAtUtc { get; init; }

    /// <summary>The source agencies whose records the episode holds. No PHI.</summary>
    public required IReadOnlyList<string> SourceAgencies { get; init; }

    /// <summary>The kinds of source the episode holds. No PHI.</summary>
    public required IReadOnlyList<SourceKind> SourceKinds { get; init; }

    /// <summary>The data-sharing agreement under which this is disclosed. No PHI.</summary>
    public required string AgreementId { get; init; }

    /// <summary>Purpose of use (v3 ActReason, e.g. PUBHLTH). No PHI.</summary>
    public required string Purpose { get; init; }

    /// <summary>Legal basis, e.g. <c>45 CFR 164.512(b)</c>. No PHI.</summary>
    public required string LegalBasis { get; init; }

    /// <summary>The disclosure profile applied, its rule-set version and the method used for each field. No PHI.</summary>
    public required AppliedProfile Profile { get; init; }

    /// <summary>The person as disclosed. Content depends on the profile: PHI for identified-outreach, none for safe-harbor.</summary>
    public DisclosedSubject Subject { get; init; } = new();

    /// <summary>The event as disclosed. Whether it carries PHI depends on the profile.</summary>
    public required DisclosedEvent Event { get; init; }

    /// <summary>Security labels the recipient must carry and honour (e.g. 42CFRPart2, NORDSCLCD). No PHI.</summary>
    public IReadOnlyList<SecurityLabel> SecurityLabels { get; init; } = [];

    /// <summary>Obligations that come with the disclosure, e.g. <c>no-redisclosure</c>. No PHI.</summary>
    public IReadOnlyList<string> Obligations { get; init; } = [];
}

/// <summary>The disclosure profile that produced a notification.</summary>
public sealed record AppliedProfile
{
    /// <summary>Profile name: <c>identified-outreach</c>, <c>limited-data-set</c> or <c>safe-harbor</c>. No PHI.</summary>
    public required string Name { get; init; }

    /// <summary>Version of the rule file. No PHI.</summary>
    public required string RuleSetVersion { get; init; }

    /// <summary>Method applied per field, e.g. <c>subject.birthDate: truncate-year</c>. No PHI.</summary>
    public IReadOnlyList<AppliedMethod> Methods { get; init; } = [];
}

/// <summary>The method applied to one field.</summary>
public sealed record AppliedMethod
{
    /// <summary>The field path in the notification, e.g. <c>subject.familyName</c>. No PHI.</summary>
    public required string Field { get; init; }

    /// <summary>The method: keep, redact, pseudonymize, shift, truncate-year, generalize, perturb. No PHI.</summary>
    public required string Method { get; init; }
}

/// <summary>The person as disclosed to one recipient. Each field is present only when the profile keeps it.</summary>
public sealed record DisclosedSubject
{
    /// <summary>Per-recipient pseudonym (HMAC-SHA256 with the recipient's key): stable for the person, unlinkable across recipients. Not PHI by itself (keyed, one-way).</summary>
    public string? Pseudonym { get; init; }

    /// <summary>Family name. PHI.</summary>
    public string? FamilyName { get; init; }

    /// <summary>Given name. PHI.</summary>
    public string? GivenName { get; init; }

    /// <summary>Date of birth as ISO 8601 (<c>1990-04-12</c>), shifted, or only the year (<c>1990</c>). PHI unless year only.</summary>
    public string? BirthDate { get; init; }

    /// <summary>Age in years, or a band (<c>30-34</c>), or <c>90+</c>. No PHI once generalized.</summary>
    public string? Age { get; init; }

    /// <summary>Administrative sex. No PHI on its own.</summary>
    public string? Sex { get; init; }

    /// <summary>Phone number. PHI.</summary>
    public string? Phone { get; init; }

    /// <summary>Home address, as far as the profile keeps it. PHI below state, except an allowed ZIP3.</summary>
    public PostalAddress? HomeAddress { get; init; }
}

/// <summary>The event as disclosed to one recipient.</summary>
public sealed record DisclosedEvent
{
    /// <summary>When it happened: ISO 8601 date-time with offset, a date, or a year, per the profile. PHI unless year only.</summary>
    public string? OccurredAt { get; init; }

    /// <summary>Where it happened, as far as the profile keeps it. PHI below state, except an allowed ZIP3.</summary>
    public EventLocation? Location { get; init; }

    /// <summary>Drug class. No PHI.</summary>
    public SubstanceClass Substance { get; init; }

    /// <summary>True when naloxone was given. No PHI.</summary>
    public bool NaloxoneGiven { get; init; }

    /// <summary>Number of naloxone administrations. No PHI.</summary>
    public int NaloxoneDoses { get; init; }

    /// <summary>Response to the last naloxone dose. No PHI.</summary>
    public MedicationResponse NaloxoneResponse { get; init; }

    /// <summary>True when fatal, false when not, null when unknown. No PHI on its own.</summary>
    public bool? Fatal { get; init; }

    /// <summary>Normalized disposition (refused transport matters most for outreach). No PHI.</summary>
    public DispositionKind Disposition { get; init; }

    /// <summary>Impression and diagnosis codes. No PHI.</summary>
    public IReadOnlyList<CodedValue> Impressions { get; init; } = [];

    /// <summary>
    /// Dispatch reason or call type as coded by the source (NEMSIS eDispatch.01 code, CAD call type such as <c>OD</c>),
    /// so a police-only episode without clinical codes still says what happened. No PHI: a code or call type, never free
    /// text (the hub drops a value that does not look like one).
    /// </summary>
    public string? DispatchReason { get; init; }

    /// <summary>The case definitions that matched, as <c>id@version</c>. No PHI.</summary>
    public IReadOnlyList<string> Definitions { get; init; } = [];

    /// <summary>Free-text narrative, only when the profile names it. PHI.</summary>
    public string? Narrative { get; init; }
}
