using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Cad;

/// <summary>CAD adapter log messages: ids and counts only, never values from the file.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "CAD feed {FeedId} read {Records} records from {Source}: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    public static partial void FileRead(ILogger logger, string feedId, string source, long records, long overdose, long notOverdose, long rejected);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "CAD feed {FeedId}: {Count} mapped column(s) not in the header of {Source}: {Fields}")]
    public static partial void MissingColumns(ILogger logger, string feedId, string source, int count, string fields);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "CAD feed {FeedId}: reading {Source} stopped early: {Problem}")]
    public static partial void StoppedEarly(ILogger logger, string feedId, string source, string problem);
}
