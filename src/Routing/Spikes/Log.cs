using Microsoft.Extensions.Logging;

namespace Hub.Routing.Spikes;

/// <summary>Spike log messages: jurisdiction ids and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Overdose spike in {JurisdictionId}: {EventCount} events in the window, threshold {Threshold} ({Method})")]
    public static partial void SpikeDetected(ILogger logger, string jurisdictionId, int eventCount, double threshold, string method);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Spike alert re-armed for {JurisdictionId}: {EventCount} events in the window")]
    public static partial void Rearmed(ILogger logger, string jurisdictionId, int eventCount);
}
