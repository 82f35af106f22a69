using Hub.Adapters.Feeds;

namespace Hub.Host.Feeds;

/// <summary>The configured feeds (section <c>Hub:Feeds</c>) and a reader for each, created once at start.</summary>
internal sealed class FeedCatalog
{
    public const string Section = "Hub:Feeds";

    private readonly Dictionary<string, FeedOptions> _feeds;
    private readonly Dictionary<FeedKind, IFeedReaderFactory> _factories;

    public FeedCatalog(IOptions<FeedCatalogOptions> options, IEnumerable<IFeedReaderFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(options);
        _feeds = options.Value.Feeds.ToDictionary(f => f.Id, StringComparer.Ordinal);
        _factories = factories.ToDictionary(f => f.Kind);
    }

    public IReadOnlyCollection<FeedOptions> All => _feeds.Values;

    public FeedOptions Get(string feedId) =>
        _feeds.TryGetValue(feedId, out var feed)
            ? feed
            : throw new FeedConfigurationException($"No feed '{feedId}' is configured (known: {string.Join(", ", _feeds.Keys.Order(StringComparer.Ordinal))}).");

    public IFeedReader CreateReader(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return _factories.TryGetValue(feed.Kind, out var factory)
            ? factory.Create(feed)
            : throw new FeedConfigurationException($"Feed '{feed.Id}': no reader for kind {feed.Kind}.");
    }
}

/// <summary>The bound list of feeds.</summary>
internal sealed class FeedCatalogOptions
{
    public List<FeedOptions> Feeds { get; } = [];
}

/// <summary>Checks every feed at start and lists every problem at once.</summary>
internal sealed class FeedCatalogValidator(IEnumerable<IFeedReaderFactory> factories) : IValidateOptions<FeedCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var kinds = factories.ToDictionary(f => f.Kind);
        foreach (var duplicate in options.Feeds.GroupBy(f => f.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{FeedCatalog.Section}: feed id '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        for (var i = 0; i < options.Feeds.Count; i++)
        {
            var feed = options.Feeds[i];
            var where = $"{FeedCatalog.Section}:{i} ({feed.Id})";
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(feed, new(feed), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"{where}: {r.ErrorMessage}"));
            }

            try
            {
                TimeZoneInfo.FindSystemTimeZoneById(feed.TimeZone);
            }
            catch (TimeZoneNotFoundException)
            {
                failures.Add($"{where}: TimeZone '{feed.TimeZone}' is not a known IANA time zone.");
            }

            if (feed.DefinitionScope is not ("opioid" or "all-drug"))
            {
                failures.Add($"{where}: DefinitionScope must be 'opioid' or 'all-drug', not '{feed.DefinitionScope}'.");
            }

            if (!kinds.TryGetValue(feed.Kind, out var factory))
            {
                failures.Add($"{where}: no reader is registered for kind {feed.Kind}.");
                continue;
            }

            try
            {
                _ = factory.Create(feed);
            }
            catch (FeedConfigurationException ex)
            {
                failures.Add($"{where}: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
