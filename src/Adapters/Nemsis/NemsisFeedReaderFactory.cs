using Hub.Adapters.Feeds;
using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Nemsis;

/// <summary>Creates <see cref="NemsisFeedReader"/>s for feeds of kind <see cref="FeedKind.Nemsis"/>; registered by the host.</summary>
public sealed class NemsisFeedReaderFactory : IFeedReaderFactory
{
    private readonly TimeProvider timeProvider;
    private readonly ILogger<NemsisFeedReader>? logger;

    /// <summary>Creates the factory.</summary>
    public NemsisFeedReaderFactory(TimeProvider? timeProvider = null, ILogger<NemsisFeedReader>? logger = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger;
    }

    /// <inheritdoc />
    public FeedKind Kind => FeedKind.Nemsis;

    /// <inheritdoc />
    public IFeedReader Create(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.Kind != FeedKind.Nemsis)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}' is of kind {feed.Kind}, not Nemsis.");
        }

        return new NemsisFeedReader(feed, timeProvider, logger);
    }
}
