using Hub.Audit.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Audit.Ledger;

/// <summary>
/// Batches appends from many concurrent callers into one transaction (group commit): a durable commit costs one
/// fsync whether it carries one entry or a thousand, so throughput grows with concurrency while each caller still
/// awaits its own entry's durable commit. A failed batch is appended again one entry at a time, so only the entry at
/// fault fails.
/// </summary>
public sealed class GroupCommitLedgerWriter : IAsyncDisposable
{
    private readonly GroupCommitLoop<LedgerEntryDraft, LedgerEntry> _loop;

    /// <summary>Starts the writer loop over a ledger.</summary>
    public GroupCommitLedgerWriter(ILedger ledger, int maxBatch = 1000, ILogger<GroupCommitLedgerWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var log = logger ?? (ILogger)NullLogger.Instance;
        _loop = new GroupCommitLoop<LedgerEntryDraft, LedgerEntry>(
            async drafts =>
            {
                var stored = await ledger.AppendAsync(drafts, CancellationToken.None).ConfigureAwait(false);
                Log.GroupCommitted(log, stored.Count, stored[^1].Sequence);
                return stored;
            },
            maxBatch,
            (ex, count) => Log.GroupCommitFailed(log, ex, count));
    }

    /// <summary>Appends one entry; completes when the transaction holding it has committed.</summary>
    public Task<LedgerEntry> AppendAsync(LedgerEntryDraft draft, CancellationToken cancellationToken)
    {
        LedgerStore.Validate(draft);
        return _loop.EnqueueAsync(draft, cancellationToken);
    }

    /// <summary>Stops accepting entries and waits for the queued ones to be committed.</summary>
    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
