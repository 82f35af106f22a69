using Microsoft.Extensions.Logging;

namespace Hub.Host.Web.Console;

/// <summary>The console's log messages. No user-entered text, no patient data: ids and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Console sign-in refused")]
    public static partial void SignInRefused(ILogger logger);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Console sign-in for role {Role}")]
    public static partial void SignedIn(ILogger logger, string role);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Console request refused: antiforgery token missing or invalid")]
    public static partial void AntiforgeryRefused(ILogger logger);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "Console notification {NotificationId} not found for the signed-in agency")]
    public static partial void NotificationNotFound(ILogger logger, string notificationId);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Information, Message = "Console outreach outcome {Outcome} for notification {NotificationId}: {Result}")]
    public static partial void OutcomeReported(ILogger logger, string notificationId, string outcome, string result);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Information, Message = "Console accounting of disclosures run: {Lines} lines, {Disclosures} disclosures, csv {Csv}")]
    public static partial void AccountingRun(ILogger logger, int lines, int disclosures, bool csv);
}
