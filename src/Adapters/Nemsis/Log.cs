using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Nemsis;

/// <summary>Source-generated log messages of the NEMSIS reader: ids and counts only, never patient values.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "NEMSIS feed {FeedId} file {Source}: {Records} records read ({RecordsPerSecond:F0} records/s), {Overdoses} overdose, {NotOverdoses} not overdose, {Rejected} rejected")]
    public static partial void Progress(ILogger logger, string feedId, string source, long records, double recordsPerSecond, long overdoses, long notOverdoses, long rejected);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "NEMSIS feed {FeedId} file {Source} done: {Records} records in {Seconds:F1} s, {Overdoses} overdose, {NotOverdoses} not overdose, {Rejected} rejected")]
    public static partial void Completed(ILogger logger, string feedId, string source, long records, double seconds, long overdoses, long notOverdoses, long rejected);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "NEMSIS feed {FeedId} file {Source}: reading stopped at line {Line} position {Position} ({Reason})")]
    public static partial void DocumentFault(ILogger logger, string feedId, string source, int line, int position, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "NEMSIS feed {FeedId} file {Source}: {Count} XSD problems outside any PatientCareReport")]
    public static partial void ValidationOutsideRecords(ILogger logger, string feedId, string source, int count);
}
