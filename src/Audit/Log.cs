using Microsoft.Extensions.Logging;

namespace Hub.Audit;

/// <summary>The audit project's log messages: ids and counts only, never identifiers or payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Trace, Message = "Group commit of {Count} ledger entries up to sequence {Sequence}")]
    public static partial void GroupCommitted(ILogger logger, int count, long sequence);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Group commit of {Count} ledger entries failed; each caller receives the failure")]
    public static partial void GroupCommitFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Ledger checkpoint written at sequence {Sequence} to {FileName}")]
    public static partial void CheckpointWritten(ILogger logger, long sequence, string fileName);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Ledger verified intact: {Entries} entries, {Checkpoints} checkpoints")]
    public static partial void VerifiedIntact(ILogger logger, long entries, int checkpoints);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Critical, Message = "Ledger verification FAILED at sequence {Sequence}: {Reason}")]
    public static partial void VerificationFailed(ILogger logger, long? sequence, string reason);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Retention purged {Count} delivered outbox payloads older than {Cutoff:o}")]
    public static partial void PayloadsPurged(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "Database schema at version {Version} ({Engine})")]
    public static partial void SchemaReady(ILogger logger, int version, string engine);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Error, Message = "Group commit of {Count} pushed inputs failed; a batch of several is committed again one input at a time, a single input's caller receives the failure")]
    public static partial void IntakeCommitFailed(ILogger logger, Exception exception, int count);
}
