using Microsoft.Extensions.Logging;

namespace Hub.Routing.Linkage;

/// <summary>Linkage log messages: counts and ids only, never person data or tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Linkage evicted {EpisodeCount} episodes ({EventCount} events) older than the window")]
    public static partial void Evicted(ILogger logger, int episodeCount, int eventCount);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Episode {AbsorbedEpisodeId} merged into {EpisodeId}")]
    public static partial void Merged(ILogger logger, Guid absorbedEpisodeId, Guid episodeId);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Linkage state reached its cap of {MaxEvents} events; dropped {EpisodeCount} oldest episodes early")]
    public static partial void CapReached(ILogger logger, int maxEvents, int episodeCount);
}
