using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Fhir;

/// <summary>Source-generated log messages of the FHIR adapter: ids and counts only, never patient data.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "FHIR feed {FeedId}: read {Lines} NDJSON lines, {Encounters} emergency encounters, {BadLines} bad lines")]
    public static partial void ReadCompleted(ILogger logger, string feedId, int lines, int encounters, int badLines);
}
