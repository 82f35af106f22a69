using System.Data.Common;
using Hub.Audit.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Audit.Storage;

/// <summary>
/// One pushed input (an HTTP request body) to commit: the claims that make it exactly-once, and what to store once
/// they are decided. Everything of one input — claims, rejects, warnings, counts and its <c>received</c> ledger entry —
/// lands in one transaction, so a crash never leaves a claim without its counts or a count without its ledger entry.
/// </summary>
public sealed class IntakeCommit
{
    /// <summary>The feed.</summary>
    public required string FeedId { get; init; }

    /// <summary>The input's name in claims (<c>http</c>).</summary>
    public required string SourceName { get; init; }

    /// <summary>
    /// Keys of the whole input (its content hash, its Bundle id): when any was claimed before, the input is a
    /// duplicate and nothing else is stored. They are claimed in order and the first one already taken stops.
    /// </summary>
    public required IReadOnlyList<string> InputKeys { get; init; }

    /// <summary>Keys of the input's records (event ids), claimed one by one: a record claimed before is reported, not refused.</summary>
    public required IReadOnlyList<string> RecordKeys { get; init; }

    /// <summary>
    /// Called inside the transaction once the claims are decided (never for a duplicate input), with one flag per
    /// <see cref="RecordKeys"/> entry: true when that record is new. Returns what to store. Must not block.
    /// </summary>
    public required Func<IReadOnlyList<bool>, IntakeWrites> Writes { get; init; }
}

/// <summary>What one input stores after its claims: rejects, warnings, its counts and its <c>received</c> ledger entry.</summary>
/// <param name="Rejects">Rejects, with their locations.</param>
/// <param name="Warnings">Warnings kept for the input.</param>
/// <param name="Summary">The input's counts.</param>
/// <param name="Received">The ledger entry recording receipt.</param>
public sealed record IntakeWrites(IReadOnlyList<StoredReject> Rejects, IReadOnlyList<StoredWarning> Warnings, IntakeSummary Summary, LedgerEntryDraft Received);

/// <summary>What became of one <see cref="IntakeCommit"/>.</summary>
/// <param name="DuplicateInput">True when an input key was claimed before: nothing was stored.</param>
/// <param name="RecordIsNew">One flag per record key (empty for a duplicate input).</param>
public sealed record IntakeCommitResult(bool DuplicateInput, IReadOnlyList<bool> RecordIsNew);

/// <summary>
/// Commits pushed inputs from many concurrent requests in one writer transaction (group commit): one durable commit
/// costs one fsync whether it carries one request or a hundred, and the writers no longer queue on the database's
/// lock one by one. Each caller still awaits the durable commit of its own input. When a batch fails, its inputs are
/// committed again one transaction each, so one bad input fails alone.
/// </summary>
public sealed class GroupCommitIntakeWriter : IAsyncDisposable
{
    private readonly HubDatabase _database;
    private readonly GroupCommitLoop<IntakeCommit, IntakeCommitResult> _loop;

    /// <summary>Starts the writer loop over a migrated database.</summary>
    public GroupCommitIntakeWriter(HubDatabase database, int maxBatch = 256, ILogger<GroupCommitIntakeWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        var log = logger ?? (ILogger)NullLogger.Instance;
        _loop = new GroupCommitLoop<IntakeCommit, IntakeCommitResult>(CommitBatchAsync, maxBatch, (ex, count) => Log.IntakeCommitFailed(log, ex, count));
    }

    /// <summary>Queues one input; completes when the transaction holding it has committed.</summary>
    public Task<IntakeCommitResult> CommitAsync(IntakeCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentException.ThrowIfNullOrEmpty(commit.FeedId);
        if (commit.InputKeys.Count == 0)
        {
            throw new ArgumentException("An input needs at least one key (its content hash).", nameof(commit));
        }

        return _loop.EnqueueAsync(commit, cancellationToken);
    }

    /// <summary>Stops accepting inputs and waits for the queued ones to be committed.</summary>
    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task<IReadOnlyList<IntakeCommitResult>> CommitBatchAsync(IReadOnlyList<IntakeCommit> batch)
    {
        var results = new IntakeCommitResult[batch.Count];
        var scope = await _database.BeginWriteAsync(CancellationToken.None).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var drafts = new List<LedgerEntryDraft>(batch.Count);
            var now = scope.Clock.GetUtcNow();
            await using (var claim = SqlIntakeStore.ClaimCommand(scope.Connection, scope.Transaction))
            await using (var summary = SqlIntakeStore.SummaryCommand(scope.Connection, scope.Transaction))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = await CommitOneAsync(scope, claim, summary, batch[i], now, drafts).ConfigureAwait(false);
                }
            }

            await LedgerStore.AppendAsync(scope, drafts, CancellationToken.None).ConfigureAwait(false);
            await scope.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return results;
    }

    private static async Task<IntakeCommitResult> CommitOneAsync(WriteScope scope, DbCommand claim, DbCommand summary, IntakeCommit commit, DateTimeOffset now, List<LedgerEntryDraft> drafts)
    {
        foreach (var key in commit.InputKeys)
        {
            if (!await SqlIntakeStore.ClaimAsync(claim, commit.FeedId, key, commit.SourceName, now, CancellationToken.None).ConfigureAwait(false))
            {
                return new IntakeCommitResult(true, []);
            }
        }

        var isNew = new bool[commit.RecordKeys.Count];
        for (var i = 0; i < isNew.Length; i++)
        {
            isNew[i] = await SqlIntakeStore.ClaimAsync(claim, commit.FeedId, commit.RecordKeys[i], commit.SourceName, now, CancellationToken.None).ConfigureAwait(false);
        }

        var writes = commit.Writes(isNew);
        LedgerStore.Validate(writes.Received);
        await SqlIntakeStore.InsertRejectsAsync(scope.Connection, scope.Transaction, writes.Rejects, CancellationToken.None).ConfigureAwait(false);
        await SqlIntakeStore.InsertWarningsAsync(scope.Connection, scope.Transaction, writes.Warnings, CancellationToken.None).ConfigureAwait(false);
        await SqlIntakeStore.InsertSummaryAsync(summary, writes.Summary, CancellationToken.None).ConfigureAwait(false);
        drafts.Add(writes.Received);
        return new IntakeCommitResult(false, isNew);
    }
}
