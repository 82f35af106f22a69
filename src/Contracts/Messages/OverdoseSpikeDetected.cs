using MassTransit;

namespace Hub.Contracts.Messages;

/// <summary>
/// A jurisdiction's overdose count in a rolling window crossed its threshold (ODMAP-style). One alert per spike,
/// not per event. Counts only: no person data, no PHI.
/// </summary>
[MessageUrn("hub:overdose-spike-detected:v1")]
public sealed record OverdoseSpikeDetected
{
    /// <summary>Stable id of the spike (jurisdiction + window start). No PHI.</summary>
    public required Guid SpikeId { get; init; }

    /// <summary>The jurisdiction's id (e.g. county FIPS <c>42091</c>). No PHI.</summary>
    public required string JurisdictionId { get; init; }

    /// <summary>The jurisdiction's name. No PHI.</summary>
    public required string JurisdictionName { get; init; }

    /// <summary>Start of the counting window, UTC. No PHI.</summary>
    public required DateTimeOffset WindowStartUtc { get; init; }

    /// <summary>End of the counting window, UTC. No PHI.</summary>
    public required DateTimeOffset WindowEndUtc { get; init; }

    /// <summary>Overdose events counted in the window. No PHI.</summary>
    public required int EventCount { get; init; }

    /// <summary>Fatal events among them. No PHI.</summary>
    public int FatalCount { get; init; }

    /// <summary>Events with naloxone given. No PHI.</summary>
    public int NaloxoneCount { get; init; }

    /// <summary>The threshold that was crossed. No PHI.</summary>
    public required double Threshold { get; init; }

    /// <summary>How the threshold was set: <c>fixed</c> or <c>baseline</c> (mean + k·sd of prior same weekdays). No PHI.</summary>
    public required string Method { get; init; }

    /// <summary>When the hub detected the spike, UTC. No PHI.</summary>
    public required DateTimeOffset OccurredAtUtc { get; init; }
}
