using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Contracts.Model;
using Hub.Host.Pipeline;
using Hub.Routing.Linkage;

namespace Hub.Host.Feeds;

/// <summary>
/// Turns one input's outcomes into hub state: overdose events are published (or parked while the bus is unavailable),
/// non-events are counted, rejects are stored with their location, and a <c>received</c> ledger entry records the
/// input's hash and counts. Shared by the inbox watcher, <c>hub ingest</c> and FHIR HTTP intake.
/// </summary>
internal sealed partial class FeedIntake(
    FeedCatalog catalog,
    IIntakeStore intakeStore,
    IIntakeProgressStore progressStore,
    IOptions<WatcherOptions> watcherOptions,
    ILedger ledger,
    EventPublisher publisher,
    TimeProvider time,
    ILogger<FeedIntake> logger)
{
    private const int RejectBatch = 500;

    /// <summary>Warnings kept per input (all are counted): a file with a systematic schema problem repeats it per record.</summary>
    private const int StoredWarningsPerInput = 100;

    /// <summary>This hub instance, as progress rows name it (host and process; several instances may share a database).</summary>
    private static readonly string Instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Claims a file (or export folder) by content hash and ingests it. An input claimed before is a duplicate when it
    /// was finished, in progress while its reader is alive, and read again from the start when its reader stopped.
    /// </summary>
    public async Task<PathIngest> IngestPathAsync(FeedOptions feed, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var sha256 = Directory.Exists(path)
            ? await IngestRun.HashFolderAsync(path, cancellationToken).ConfigureAwait(false)
            : await IngestRun.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        Dictionary<string, ulong>? alreadySent = null;
        if (!await intakeStore.TryClaimAsync(feed.Id, sha256, name, cancellationToken).ConfigureAwait(false))
        {
            // Claimed before: finished (a duplicate), being read by another instance, or left unfinished by a process
            // that stopped. Only the last is read again, from the start, by whoever takes it over first.
            var staleBefore = time.GetUtcNow() - watcherOptions.Value.StalledAfter;
            var takeOver = await intakeStore.TryTakeOverAsync(feed.Id, sha256, staleBefore, cancellationToken).ConfigureAwait(false);
            switch (takeOver.Result)
            {
                case TakeOverResult.Finished:
                    LogDuplicate(logger, feed.Id, name, sha256);
                    return new PathIngest(PathIngestStatus.Duplicate);
                case TakeOverResult.InProgress:
                    LogInProgress(logger, feed.Id, name, sha256);
                    return new PathIngest(PathIngestStatus.InProgress);
            }

            // What the stopped reader sent and the pipeline processed is in the ledger since its claim.
            alreadySent = DetectedDetails.Fingerprints(
                await ledger.DetectedSinceAsync(takeOver.FirstClaimedAtUtc ?? DateTimeOffset.MinValue, cancellationToken).ConfigureAwait(false));
            LogTakenOver(logger, feed.Id, name, sha256);
        }

        var reader = catalog.CreateReader(feed);
        var received = time.GetUtcNow();
        var position = new IngestPosition();
        var outcomes = IngestRun.ReadPathAsync(reader, path, sha256, received, position, cancellationToken);
        var counts = await IngestCoreAsync(feed, new SourceDocument(name, sha256, received, path), outcomes, position, alreadySent, cancellationToken).ConfigureAwait(false);
        return new PathIngest(alreadySent is null ? PathIngestStatus.Ingested : PathIngestStatus.Resumed, counts);
    }

    /// <summary>
    /// Processes the outcomes of one claimed file or folder input; its progress is logged and written to the progress
    /// store every <see cref="WatcherOptions.ProgressInterval"/> and at the end. With <paramref name="alreadySent"/> (an
    /// input taken over from a reader that stopped: event id → the fingerprint its <c>detected</c> entry records), an
    /// event with the same fingerprint is counted but not sent again.
    /// </summary>
    private async Task<IngestCounts> IngestCoreAsync(FeedOptions feed, SourceDocument source, IAsyncEnumerable<RecordOutcome> outcomes, IngestPosition position, Dictionary<string, ulong>? alreadySent, CancellationToken cancellationToken)
    {
        var tally = new InputTally(feed, source, time);
        var skipped = 0;
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var interval = watcherOptions.Value.ProgressInterval;
        var lastReport = started;
        await WriteProgressAsync(feed, source, position, startedAt, 0, 0, ProgressWrite.Start, cancellationToken).ConfigureAwait(false);

        await foreach (var outcome in outcomes.ConfigureAwait(false))
        {
            tally.Add(outcome);
            if (outcome is { Kind: RecordOutcomeKind.Overdose, Event: { } overdose })
            {
                if (alreadySent is not null && alreadySent.TryGetValue(overdose.EventId, out var sent) && sent == ProcessedEvents.Fingerprint(overdose))
                {
                    skipped++;
                }
                else
                {
                    await publisher.PublishAsync(overdose, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (tally.Rejects.Count >= RejectBatch)
            {
                await intakeStore.AddRejectsAsync(tally.Rejects, cancellationToken).ConfigureAwait(false);
                tally.Rejects.Clear();
            }

            var counts = tally.Counts;

            if (time.GetElapsedTime(lastReport) >= interval)
            {
                lastReport = time.GetTimestamp();
                var rate = Rate(counts.Total, time.GetElapsedTime(started));
                var done = position.Done;
                LogProgress(logger, feed.Id, source.Name, counts.Total, done, position.Total, Percent(done, position.Total), rate);
                await WriteProgressAsync(feed, source, position, startedAt, counts.Total, rate, ProgressWrite.Update, cancellationToken).ConfigureAwait(false);
            }
        }

        var total = tally.Counts;

        // Read to its end (or to a fault the reader reported as a reject): the whole input is done.
        position.SetDone(position.Total);
        await WriteProgressAsync(feed, source, position, startedAt, total.Total, Rate(total.Total, time.GetElapsedTime(started)), ProgressWrite.Finish, cancellationToken).ConfigureAwait(false);

        await intakeStore.AddRejectsAsync(tally.Rejects, cancellationToken).ConfigureAwait(false);
        await intakeStore.AddWarningsAsync(tally.Warnings, cancellationToken).ConfigureAwait(false);
        var writes = tally.Writes();
        await intakeStore.AddSummaryAsync(writes.Summary, cancellationToken).ConfigureAwait(false);
        await ledger.AppendAsync([writes.Received], cancellationToken).ConfigureAwait(false);
        LogIngested(logger, feed.Id, source.Name, total.Overdose, total.NotOverdose, total.Rejected);
        if (alreadySent is not null)
        {
            LogNotSentAgain(logger, feed.Id, source.Name, skipped);
        }

        return total;
    }

    /// <summary>
    /// What a pushed input (one HTTP body) stores once its claims are decided: rejects, the first warnings, its counts
    /// and its <c>received</c> ledger entry, all committed with the claims by <see cref="GroupCommitIntakeWriter"/>.
    /// </summary>
    /// <param name="feed">The feed.</param>
    /// <param name="source">The input.</param>
    /// <param name="outcomes">The outcomes that count for this input (already-accepted events left out).</param>
    public IntakeWrites WritesOf(FeedOptions feed, SourceDocument source, IEnumerable<RecordOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var tally = new InputTally(feed, source, time);
        foreach (var outcome in outcomes)
        {
            tally.Add(outcome);
        }

        return tally.Writes();
    }

    /// <summary>Logs a pushed input's counts (Debug: a busy push feed sends thousands a second).</summary>
    public void LogPushed(FeedOptions feed, SourceDocument source, int overdose, int notOverdose, int rejected)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(source);
        LogPushedInput(logger, feed.Id, source.Sha256, overdose, notOverdose, rejected);
    }

    private static double Rate(int records, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? records / elapsed.TotalSeconds : 0;

    private static double Percent(long done, long total) => total > 0 ? Math.Clamp(100.0 * done / total, 0, 100) : 0;

    /// <summary>Writes a progress row; a failure is logged and never fails the ingest.</summary>
    private async Task WriteProgressAsync(FeedOptions feed, SourceDocument source, IngestPosition position, DateTimeOffset startedAt, int records, double rate, ProgressWrite write, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new IntakeProgress(feed.Id, source.Sha256, source.Name, Instance, startedAt, now, position.Total, position.Done, records, rate,
            write == ProgressWrite.Finish ? now : null);
        try
        {
            switch (write)
            {
                case ProgressWrite.Start:
                    await progressStore.StartAsync(row, cancellationToken).ConfigureAwait(false);
                    break;
                case ProgressWrite.Update:
                    await progressStore.UpdateAsync(row, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await progressStore.FinishAsync(row, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogProgressWriteFailed(logger, feed.Id, source.Name, ex.GetType().Name);
        }
    }

    /// <summary>
    /// What one input adds up to while it is read: counts by outcome, its rejects (the caller may flush them in
    /// batches), the first <see cref="StoredWarningsPerInput"/> warnings and the count of all of them.
    /// </summary>
    private sealed class InputTally(FeedOptions feed, SourceDocument source, TimeProvider time)
    {
        private int warningCount;

        public IngestCounts Counts { get; private set; } = new(0, 0, 0);

        public List<StoredReject> Rejects { get; } = [];

        public List<StoredWarning> Warnings { get; } = [];

        public void Add(RecordOutcome outcome)
        {
            Counts = IngestRun.Add(Counts, outcome.Kind);
            foreach (var warning in outcome.Warnings)
            {
                if (++warningCount <= StoredWarningsPerInput)
                {
                    Warnings.Add(new StoredWarning(feed.Id, source.Name, source.Sha256, outcome.SourceRecordId, warning, time.GetUtcNow()));
                }
            }

            if (outcome.Kind == RecordOutcomeKind.Rejected)
            {
                Rejects.Add(new StoredReject(
                    feed.Id, source.Name, source.Sha256, outcome.SourceRecordId,
                    outcome.Reject?.Reason ?? "rejected", outcome.Reject?.Location ?? "", time.GetUtcNow()));
            }
        }

        /// <summary>The rejects and warnings still held, the input's counts and its <c>received</c> ledger entry.</summary>
        public IntakeWrites Writes() => new(
            Rejects,
            Warnings,
            new IntakeSummary(feed.Id, source.Name, source.Sha256, Counts.Overdose, Counts.NotOverdose, Counts.Rejected, time.GetUtcNow(), warningCount),
            new LedgerEntryDraft
            {
                Actor = feed.Id,
                Action = LedgerActions.Received,
                FeedId = feed.Id,
                CorrelationId = source.Sha256,
                DetailsJson = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["source"] = source.Name,
                    ["sha256"] = source.Sha256,
                    ["overdose"] = Counts.Overdose,
                    ["notOverdose"] = Counts.NotOverdose,
                    ["rejected"] = Counts.Rejected,
                    ["warnings"] = warningCount,
                }),
            });
    }

    private enum ProgressWrite
    {
        Start,
        Update,
        Finish,
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ({Sha256}) was already ingested; skipped")]
    private static partial void LogDuplicate(ILogger logger, string feedId, string source, string sha256);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} read again: {Skipped} event(s) the stopped reader had sent were not sent again")]
    private static partial void LogNotSentAgain(ILogger logger, string feedId, string source, int skipped);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ({Sha256}) is being read by another reader; left in place")]
    private static partial void LogInProgress(ILogger logger, string feedId, string source, string sha256);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Feed {FeedId}: {Source} ({Sha256}) was claimed but never finished (its reader stopped); reading it again from the start")]
    private static partial void LogTakenOver(ILogger logger, string feedId, string source, string sha256);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} progress {Records} records, {BytesDone} of {BytesTotal} bytes ({Percent:F1}%), {RecordsPerSecond:F0} records/s")]
    private static partial void LogProgress(ILogger logger, string feedId, string source, int records, long bytesDone, long bytesTotal, double percent, double recordsPerSecond);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Feed {FeedId}: progress of {Source} could not be written ({Error}); the ingest continues")]
    private static partial void LogProgressWriteFailed(ILogger logger, string feedId, string source, string error);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Feed {FeedId}: pushed input {Sha256} accepted: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    private static partial void LogPushedInput(ILogger logger, string feedId, string sha256, int overdose, int notOverdose, int rejected);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ingested: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    private static partial void LogIngested(ILogger logger, string feedId, string source, int overdose, int notOverdose, int rejected);
}
