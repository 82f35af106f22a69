using Microsoft.Extensions.Logging;

namespace Hub.Host.Web.Console;

/// <summary>Log messages of the bearer scheme, the feed tools and the admin pages (ids 1950–1969). Never a token, key or patient datum.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1950, Level = LogLevel.Warning, Message = "Console bearer token refused: {Reason}")]
    public static partial void BearerRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1951, Level = LogLevel.Information, Message = "Console dry run of feed {FeedId}: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    public static partial void DryRunCompleted(ILogger logger, string feedId, int overdose, int notOverdose, int rejected);

    [LoggerMessage(EventId = 1952, Level = LogLevel.Information, Message = "Console API key {KeyId} created for feed {FeedId}")]
    public static partial void ApiKeyCreated(ILogger logger, string keyId, string feedId);

    [LoggerMessage(EventId = 1953, Level = LogLevel.Information, Message = "Console API key {KeyId} of feed {FeedId} revoked")]
    public static partial void ApiKeyRevoked(ILogger logger, string keyId, string feedId);

    [LoggerMessage(EventId = 1954, Level = LogLevel.Warning, Message = "Console dry run refused: upload larger than {MaxBytes} bytes")]
    public static partial void DryRunTooLarge(ILogger logger, long maxBytes);
}
