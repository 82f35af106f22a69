using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Host.Pipeline;
using MassTransit;

namespace Hub.Host.Feeds;

/// <summary>
/// Turns one input's outcomes into hub state: overdose events are published (<see cref="OverdoseEventDetected"/>),
/// non-events are counted, rejects are stored with their location, and a <c>received</c> ledger entry records the
/// input's hash and counts. Shared by the inbox watcher, <c>hub ingest</c> and FHIR HTTP intake.
/// </summary>
internal sealed partial class FeedIntake(
    FeedCatalog catalog,
    IIntakeStore intakeStore,
    IIntakeProgressStore progressStore,
    IOptions<WatcherOptions> watcherOptions,
    ILedger ledger,
    IBus bus,
    PipelineProgress progress,
    TimeProvider time,
    ILogger<FeedIntake> logger)
{
    private const int RejectBatch = 500;

    /// <summary>Warnings kept per input (all are counted): a file with a systematic schema problem repeats it per record.</summary>
    private const int StoredWarningsPerInput = 100;

    /// <summary>This hub instance, as progress rows name it (host and process; several instances may share a database).</summary>
    private static readonly string Instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Claims a file (or export folder) by content hash and ingests it; null when it was already claimed.</summary>
    public async Task<IngestCounts?> IngestPathAsync(FeedOptions feed, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var sha256 = Directory.Exists(path)
            ? await IngestRun.HashFolderAsync(path, cancellationToken).ConfigureAwait(false)
            : await IngestRun.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        if (!await intakeStore.TryClaimAsync(feed.Id, sha256, name, cancellationToken).ConfigureAwait(false))
        {
            LogDuplicate(logger, feed.Id, name, sha256);
            return null;
        }

        var reader = catalog.CreateReader(feed);
        var received = time.GetUtcNow();
        var position = new IngestPosition();
        var outcomes = IngestRun.ReadPathAsync(reader, path, sha256, received, position, cancellationToken);
        return await IngestCoreAsync(feed, new SourceDocument(name, sha256, received, path), outcomes, position, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Processes the outcomes of one already-claimed input.</summary>
    public Task<IngestCounts> IngestOutcomesAsync(FeedOptions feed, SourceDocument source, IAsyncEnumerable<RecordOutcome> outcomes, CancellationToken cancellationToken) =>
        IngestCoreAsync(feed, source, outcomes, position: null, cancellationToken);

    /// <summary>
    /// Processes the outcomes of one claimed input. With a <paramref name="position"/> (a file or folder input) progress is
    /// logged and written to the progress store every <see cref="WatcherOptions.ProgressInterval"/> and at the end.
    /// </summary>
    private async Task<IngestCounts> IngestCoreAsync(FeedOptions feed, SourceDocument source, IAsyncEnumerable<RecordOutcome> outcomes, IngestPosition? position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outcomes);
        var counts = new IngestCounts(0, 0, 0);
        var rejects = new List<StoredReject>();
        var warnings = new List<StoredWarning>();
        var warningCount = 0;
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var interval = watcherOptions.Value.ProgressInterval;
        var lastReport = started;
        if (position is not null)
        {
            await WriteProgressAsync(feed, source, position, startedAt, counts.Total, 0, ProgressWrite.Start, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var outcome in outcomes.ConfigureAwait(false))
        {
            counts = IngestRun.Add(counts, outcome.Kind);
            foreach (var warning in outcome.Warnings)
            {
                if (++warningCount <= StoredWarningsPerInput)
                {
                    warnings.Add(new StoredWarning(feed.Id, source.Name, source.Sha256, outcome.SourceRecordId, warning, time.GetUtcNow()));
                }
            }

            switch (outcome.Kind)
            {
                case RecordOutcomeKind.Overdose when outcome.Event is { } overdose:
                    await bus.Publish(
                        new OverdoseEventDetected
                        {
                            MessageId = DeterministicGuid.From("event:" + overdose.EventId),
                            OccurredAtUtc = time.GetUtcNow(),
                            SourceAgency = overdose.SourceAgencyId,
                            Event = overdose,
                        },
                        cancellationToken).ConfigureAwait(false);
                    progress.OnPublished();
                    break;
                case RecordOutcomeKind.Rejected:
                    rejects.Add(new StoredReject(
                        feed.Id, source.Name, source.Sha256, outcome.SourceRecordId,
                        outcome.Reject?.Reason ?? "rejected", outcome.Reject?.Location ?? "", time.GetUtcNow()));
                    if (rejects.Count >= RejectBatch)
                    {
                        await intakeStore.AddRejectsAsync(rejects, cancellationToken).ConfigureAwait(false);
                        rejects.Clear();
                    }

                    break;
            }

            if (time.GetElapsedTime(lastReport) >= interval)
            {
                lastReport = time.GetTimestamp();
                var rate = Rate(counts.Total, time.GetElapsedTime(started));
                if (position is null)
                {
                    LogProgress(logger, feed.Id, source.Name, counts.Total, 0, 0, 0, rate);
                }
                else
                {
                    var done = position.Done;
                    LogProgress(logger, feed.Id, source.Name, counts.Total, done, position.Total, Percent(done, position.Total), rate);
                    await WriteProgressAsync(feed, source, position, startedAt, counts.Total, rate, ProgressWrite.Update, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (position is not null)
        {
            // Read to its end (or to a fault the reader reported as a reject): the whole input is done.
            position.SetDone(position.Total);
            await WriteProgressAsync(feed, source, position, startedAt, counts.Total, Rate(counts.Total, time.GetElapsedTime(started)), ProgressWrite.Finish, cancellationToken).ConfigureAwait(false);
        }

        if (rejects.Count > 0)
        {
            await intakeStore.AddRejectsAsync(rejects, cancellationToken).ConfigureAwait(false);
        }

        if (warnings.Count > 0)
        {
            await intakeStore.AddWarningsAsync(warnings, cancellationToken).ConfigureAwait(false);
        }

        var completed = time.GetUtcNow();
        await intakeStore.AddSummaryAsync(
            new IntakeSummary(feed.Id, source.Name, source.Sha256, counts.Overdose, counts.NotOverdose, counts.Rejected, completed, warningCount),
            cancellationToken).ConfigureAwait(false);
        await ledger.AppendAsync(
            [
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
                        ["overdose"] = counts.Overdose,
                        ["notOverdose"] = counts.NotOverdose,
                        ["rejected"] = counts.Rejected,
                        ["warnings"] = warningCount,
                    }),
                },
            ],
            cancellationToken).ConfigureAwait(false);
        LogIngested(logger, feed.Id, source.Name, counts.Overdose, counts.NotOverdose, counts.Rejected);
        return counts;
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

    private enum ProgressWrite
    {
        Start,
        Update,
        Finish,
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ({Sha256}) was already ingested; skipped")]
    private static partial void LogDuplicate(ILogger logger, string feedId, string source, string sha256);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} progress {Records} records, {BytesDone} of {BytesTotal} bytes ({Percent:F1}%), {RecordsPerSecond:F0} records/s")]
    private static partial void LogProgress(ILogger logger, string feedId, string source, int records, long bytesDone, long bytesTotal, double percent, double recordsPerSecond);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Feed {FeedId}: progress of {Source} could not be written ({Error}); the ingest continues")]
    private static partial void LogProgressWriteFailed(ILogger logger, string feedId, string source, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ingested: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    private static partial void LogIngested(ILogger logger, string feedId, string source, int overdose, int notOverdose, int rejected);
}
