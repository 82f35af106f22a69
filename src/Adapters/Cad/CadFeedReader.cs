using System.Runtime.CompilerServices;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Adapters.Cad;

/// <summary>
/// Reads one police/911 CAD calls-for-service CSV by its agency's profile, streaming (constant memory), one outcome per
/// data record. Bad records become rejects with line and column; they never stop the file.
/// </summary>
public sealed class CadFeedReader : IFeedReader
{
    private readonly CompiledCadProfile profile;
    private readonly CadFeedContext feed;
    private readonly ILogger logger;

    /// <summary>Creates a reader for <paramref name="feed"/>; throws <see cref="FeedConfigurationException"/> listing every profile problem.</summary>
    public CadFeedReader(FeedOptions feed, ILogger<CadFeedReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        profile = CadProfileLoader.Compile(feed);
        this.feed = new CadFeedContext(feed.Id, feed.AgencyId, feed.KeepNarrative);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The detection definition of this reader's outcomes, <c>cad-call-type@name/version</c>.</summary>
    public string Definition => profile.Definition;

    /// <summary>
    /// The event id of a CAD call: stable for the same feed and incident (a re-sent or corrected export maps to the same
    /// event), no PHI (the first 128 bits of SHA-256 over feed id and incident id, hex).
    /// </summary>
    public static string EventIdFor(string feedId, string incidentId) => CadRowMapper.EventIdFor(feedId, incidentId);

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordOutcome> ReadAsync(Stream? content, SourceDocument source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(source);
        using var session = CadCsvSession.Open(content, profile);
        long overdose = 0, notOverdose = 0, rejected = 0;
        CadRowMapper? mapper = null;
        if (profile.Source.HasHeaderRow)
        {
            if (!await session.ReadAsync().ConfigureAwait(false))
            {
                yield break;
            }

            mapper = CreateMapper(session, source);
        }

        while (await session.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            mapper ??= CreateMapper(session, source);
            var outcome = mapper.Map(session.Parser, session.Line, session.BadQuoting, source);
            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose: overdose++; break;
                case RecordOutcomeKind.NotOverdose: notOverdose++; break;
                default: rejected++; break;
            }

            yield return outcome;
        }

        if (session.FatalProblem is { } problem)
        {
            rejected++;
            Log.StoppedEarly(logger, feed.FeedId, source.Name, problem);
            yield return RecordOutcome.Rejected(null, problem, $"line {session.Line}, column (record)");
        }

        Log.FileRead(logger, feed.FeedId, source.Name, overdose + notOverdose + rejected, overdose, notOverdose, rejected);
    }

    private CadRowMapper CreateMapper(CadCsvSession session, SourceDocument source)
    {
        var map = CadColumnMap.Resolve(profile, session.Parser);
        if (map.Missing.Count > 0)
        {
            Log.MissingColumns(logger, feed.FeedId, source.Name, map.Missing.Count, string.Join(", ", map.Missing.Keys));
        }

        return new CadRowMapper(profile, feed, map);
    }
}

/// <summary>Creates <see cref="CadFeedReader"/>s for feeds of kind <see cref="FeedKind.Cad"/>.</summary>
public sealed class CadFeedReaderFactory(ILoggerFactory? loggerFactory = null) : IFeedReaderFactory
{
    /// <inheritdoc />
    public FeedKind Kind => FeedKind.Cad;

    /// <inheritdoc />
    public IFeedReader Create(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.Kind != FeedKind.Cad)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}' is of kind {feed.Kind}, not Cad.");
        }

        return new CadFeedReader(feed, loggerFactory?.CreateLogger<CadFeedReader>());
    }
}
