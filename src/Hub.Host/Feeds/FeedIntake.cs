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
    ILedger ledger,
    IBus bus,
    PipelineProgress progress,
    TimeProvider time,
    ILogger<FeedIntake> logger)
{
    private const int RejectBatch = 500;

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
        var outcomes = IngestRun.ReadPathAsync(reader, path, sha256, received, cancellationToken);
        return await IngestOutcomesAsync(feed, new SourceDocument(name, sha256, received, path), outcomes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Processes the outcomes of one already-claimed input.</summary>
    public async Task<IngestCounts> IngestOutcomesAsync(FeedOptions feed, SourceDocument source, IAsyncEnumerable<RecordOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outcomes);
        var counts = new IngestCounts(0, 0, 0);
        var rejects = new List<StoredReject>();
        var started = time.GetTimestamp();
        await foreach (var outcome in outcomes.ConfigureAwait(false))
        {
            counts = IngestRun.Add(counts, outcome.Kind);
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

            if (counts.Total % 10_000 == 0)
            {
                var seconds = time.GetElapsedTime(started).TotalSeconds;
                LogProgress(logger, feed.Id, source.Name, counts.Total, seconds > 0 ? counts.Total / seconds : 0);
            }
        }

        if (rejects.Count > 0)
        {
            await intakeStore.AddRejectsAsync(rejects, cancellationToken).ConfigureAwait(false);
        }

        var completed = time.GetUtcNow();
        await intakeStore.AddSummaryAsync(
            new IntakeSummary(feed.Id, source.Name, source.Sha256, counts.Overdose, counts.NotOverdose, counts.Rejected, completed),
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
                    }),
                },
            ],
            cancellationToken).ConfigureAwait(false);
        LogIngested(logger, feed.Id, source.Name, counts.Overdose, counts.NotOverdose, counts.Rejected);
        return counts;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ({Sha256}) was already ingested; skipped")]
    private static partial void LogDuplicate(ILogger logger, string feedId, string source, string sha256);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} progress {Records} records, {RecordsPerSecond:F0} records/s")]
    private static partial void LogProgress(ILogger logger, string feedId, string source, int records, double recordsPerSecond);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Feed {FeedId}: {Source} ingested: {Overdose} overdose, {NotOverdose} not overdose, {Rejected} rejected")]
    private static partial void LogIngested(ILogger logger, string feedId, string source, int overdose, int notOverdose, int rejected);
}
