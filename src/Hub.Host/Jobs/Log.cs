namespace Hub.Host.Jobs;

/// <summary>The jobs' structured logs: ids, counts and sequence numbers only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Ledger checkpoint written at sequence {Sequence} ({File})")]
    public static partial void CheckpointWritten(ILogger logger, long sequence, string file);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Payload retention purged {Purged} delivered payload(s)")]
    public static partial void PayloadsPurged(ILogger logger, int purged);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Spike {SpikeId} in {JurisdictionId}: {EventCount} event(s), alert queued for {Recipients} recipient(s)")]
    public static partial void SpikeAlerted(ILogger logger, Guid spikeId, string jurisdictionId, int eventCount, int recipients);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Spike {SpikeId} in {JurisdictionId} has no recipient that receives spike alerts")]
    public static partial void SpikeWithoutRecipients(ILogger logger, Guid spikeId, string jurisdictionId);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Debug, Message = "Spike evaluation: {Spikes} new spike(s)")]
    public static partial void SpikesEvaluated(ILogger logger, int spikes);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Error, Message = "Job {Job} failed; it runs again at its next schedule")]
    public static partial void JobFailed(ILogger logger, string job, Exception exception);
}
