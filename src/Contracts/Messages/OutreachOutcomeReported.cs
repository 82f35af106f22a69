using System.Text.Json.Serialization;
using MassTransit;

namespace Hub.Contracts.Messages;

/// <summary>The result of an outreach attempt.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutreachOutcome>))]
public enum OutreachOutcome
{
    /// <summary>The person was reached.</summary>
    Contacted,

    /// <summary>A naloxone kit was left with the person or household.</summary>
    KitLeft,

    /// <summary>The person was referred to treatment or peer recovery.</summary>
    ReferredToTreatment,

    /// <summary>The person declined services.</summary>
    Declined,

    /// <summary>The person could not be reached.</summary>
    Unreachable,
}

/// <summary>A recipient reports the outcome of its outreach for a notification, closing the loop. No PHI.</summary>
[MessageUrn("hub:outreach-outcome-reported:v1")]
public sealed record OutreachOutcomeReported
{
    /// <summary>The notification the outreach followed. No PHI.</summary>
    public required Guid NotificationId { get; init; }

    /// <summary>The episode. No PHI.</summary>
    public required Guid EpisodeId { get; init; }

    /// <summary>The reporting agency's id; must match the notification's recipient. No PHI.</summary>
    public required string RecipientId { get; init; }

    /// <summary>What happened. No PHI.</summary>
    public required OutreachOutcome Outcome { get; init; }

    /// <summary>When the outreach happened or was reported, UTC. No PHI.</summary>
    public required DateTimeOffset OccurredAtUtc { get; init; }

    /// <summary>The agency's user or system that reported it. No PHI.</summary>
    public string? ReportedBy { get; init; }
}
