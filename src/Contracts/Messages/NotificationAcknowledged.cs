using MassTransit;

namespace Hub.Contracts.Messages;

/// <summary>A recipient acknowledges that it received a notification. Sent by the agency to the hub. No PHI.</summary>
[MessageUrn("hub:notification-acknowledged:v1")]
public sealed record NotificationAcknowledged
{
    /// <summary>The notification acknowledged. No PHI.</summary>
    public required Guid NotificationId { get; init; }

    /// <summary>The episode the notification belongs to. No PHI.</summary>
    public required Guid EpisodeId { get; init; }

    /// <summary>The acknowledging agency's id; must match the notification's recipient. No PHI.</summary>
    public required string RecipientId { get; init; }

    /// <summary>When it was acknowledged, UTC. No PHI.</summary>
    public required DateTimeOffset OccurredAtUtc { get; init; }

    /// <summary>The agency's user or system that acknowledged (an account name, not a patient). No PHI.</summary>
    public string? AcknowledgedBy { get; init; }
}
