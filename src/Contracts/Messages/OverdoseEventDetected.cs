using Hub.Contracts.Model;
using MassTransit;

namespace Hub.Contracts.Messages;

/// <summary>
/// Internal: an adapter found an overdose event in a source record. Carries PHI; consumed only inside the hub
/// (routing, privacy, ledger). Never published to a recipient's queue.
/// </summary>
[MessageUrn("hub:overdose-event-detected:v1")]
public sealed record OverdoseEventDetected
{
    /// <summary>Message id, stable for the event (redelivery is harmless). No PHI.</summary>
    public required Guid MessageId { get; init; }

    /// <summary>When the hub detected the event, UTC. No PHI.</summary>
    public required DateTimeOffset OccurredAtUtc { get; init; }

    /// <summary>The agency the record came from. No PHI.</summary>
    public required string SourceAgency { get; init; }

    /// <summary>The event itself. PHI.</summary>
    public required OverdoseEvent Event { get; init; }
}
