using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Schema;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis.Detection;
using Hub.Contracts.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Adapters.Nemsis;

/// <summary>
/// Reads NEMSIS v3.5 EMSDataSet XML (3.5.0 and 3.5.1) one PatientCareReport at a time, in constant memory whatever the
/// file size, classifies each with the feed's case definitions and maps overdoses to <see cref="OverdoseEvent"/>.
/// DTDs are prohibited, nothing is resolved or fetched (xsi:schemaLocation included), and document size, nesting depth
/// and value length are capped. Bad input becomes rejects; every PCR before a fault is still yielded.
/// </summary>
public sealed class NemsisFeedReader : IFeedReader
{
    /// <summary>The NEMSIS v3 namespace.</summary>
    public const string Namespace = "http://www.nemsis.org";

    private readonly FeedOptions feed;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly NemsisScanContext context;
    private readonly XmlResolver? documentResolver;

    /// <summary>Creates the reader; throws <see cref="FeedConfigurationException"/> for an unusable configuration.</summary>
    public NemsisFeedReader(FeedOptions feed, TimeProvider? timeProvider = null, ILogger<NemsisFeedReader>? logger = null)
        : this(feed, timeProvider, logger, documentResolver: null)
    {
    }

    /// <summary>
    /// Test seam: <paramref name="documentResolver"/> is set on the document's XmlReaderSettings, so a test can prove with
    /// a recording resolver that the secure settings never ask it for anything. Production passes null.
    /// </summary>
    internal NemsisFeedReader(FeedOptions feed, TimeProvider? timeProvider, ILogger? logger, XmlResolver? documentResolver)
    {
        ArgumentNullException.ThrowIfNull(feed);
        this.feed = feed;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        this.documentResolver = documentResolver;

        var settings = feed.Nemsis ?? throw new FeedConfigurationException($"Feed '{feed.Id}' has no Nemsis settings.");
        var strict = (settings.Validation ?? "lenient").Trim().ToLowerInvariant() switch
        {
            "" or "lenient" => false,
            "strict" => true,
            _ => throw new FeedConfigurationException($"Feed '{feed.Id}': Nemsis.Validation must be 'lenient' or 'strict'."),
        };
        if (settings.MaxElementDepth < 8)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': Nemsis.MaxElementDepth must be at least 8.");
        }

        if (settings.MaxValueCharacters < 1024)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': Nemsis.MaxValueCharacters must be at least 1024.");
        }

        XmlSchemaSet? schemas = null;
        if (!string.IsNullOrWhiteSpace(settings.XsdFolder))
        {
            schemas = NemsisSchemas.For(settings.XsdFolder);
        }
        else if (strict)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': strict validation needs Nemsis.XsdFolder (the official NEMSIS XSDs).");
        }

        IReadOnlyList<NemsisCaseDefinition> definitions;
        try
        {
            definitions = NemsisCaseDefinitions.ForScope(feed.DefinitionScope);
        }
        catch (ArgumentException ex)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': {ex.Message}", ex);
        }

        TimeZoneInfo timeZone;
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(feed.TimeZone) ? "UTC" : feed.TimeZone);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': unknown time zone '{feed.TimeZone}'.", ex);
        }

        context = new NemsisScanContext(feed, schemas, strict, definitions, timeZone, this.logger);
    }

    /// <summary>Called every <see cref="NemsisFeedSettings.ProgressInterval"/> records and once at the end of each file (for the host's log and <c>hub feeds list</c>).</summary>
    public Action<NemsisReadProgress>? ProgressCallback { get; set; }

    /// <summary>The last progress report of the most recent file (null before the first report).</summary>
    public NemsisReadProgress? LastProgress { get; private set; }

    /// <summary>True when the feed validates strictly (a PCR failing the XSD is rejected).</summary>
    public bool Strict => context.Strict;

    /// <inheritdoc />
    public IAsyncEnumerable<RecordOutcome> ReadAsync(Stream? content, SourceDocument source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ReadCoreAsync(content, source, cancellationToken);
    }

    /// <summary>
    /// Synchronous form of <see cref="ReadAsync"/>. The XmlReader reads synchronously in both forms (async XML parsing is
    /// several times slower); feed it a file or a buffered body rather than a slow network stream.
    /// </summary>
    public IEnumerable<RecordOutcome> Read(Stream? content, SourceDocument source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (content is null)
        {
            if (source.Path is { } path && File.Exists(path))
            {
                return ReadFile(path, source, cancellationToken);
            }

            return [RecordOutcome.Rejected(null, "no content: a NEMSIS feed reads a file or a request body", source.Name)];
        }

        return ReadStream(content, source, cancellationToken);
    }

    private async IAsyncEnumerable<RecordOutcome> ReadCoreAsync(Stream? content, SourceDocument source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var outcome in Read(content, source, cancellationToken))
        {
            yield return outcome;
        }
    }

    private IEnumerable<RecordOutcome> ReadFile(string path, SourceDocument source, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        foreach (var outcome in ReadStream(stream, source, cancellationToken))
        {
            yield return outcome;
        }
    }

    private IEnumerable<RecordOutcome> ReadStream(Stream content, SourceDocument source, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        long overdoses = 0, notOverdoses = 0, rejected = 0;
        var interval = feed.Nemsis.ProgressInterval;
        using var scanner = new NemsisDocumentScanner(context, content, source, documentResolver);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!scanner.TryNext(out var outcome) || outcome is null)
            {
                break;
            }

            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose: overdoses++; break;
                case RecordOutcomeKind.NotOverdose: notOverdoses++; break;
                default: rejected++; break;
            }

            var total = overdoses + notOverdoses + rejected;
            if (interval > 0 && total % interval == 0)
            {
                Report(source, overdoses, notOverdoses, rejected, started, completed: false);
            }

            yield return outcome;
        }

        Report(source, overdoses, notOverdoses, rejected, started, completed: true);
    }

    private void Report(SourceDocument source, long overdoses, long notOverdoses, long rejected, long started, bool completed)
    {
        var progress = new NemsisReadProgress(feed.Id, source.Name, overdoses + notOverdoses + rejected, overdoses, notOverdoses, rejected,
            timeProvider.GetElapsedTime(started), completed);
        LastProgress = progress;
        if (completed)
        {
            Log.Completed(logger, feed.Id, source.Name, progress.Records, progress.Elapsed.TotalSeconds, overdoses, notOverdoses, rejected);
        }
        else
        {
            Log.Progress(logger, feed.Id, source.Name, progress.Records, progress.RecordsPerSecond, overdoses, notOverdoses, rejected);
        }

        ProgressCallback?.Invoke(progress);
    }
}
