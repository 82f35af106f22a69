using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Audit.Ledger;

/// <summary>
/// Batches appends from many concurrent callers into one transaction (group commit): a durable commit costs one
/// fsync whether it carries one entry or a thousand, so throughput grows with concurrency while each caller still
/// awaits its own entry's durable commit.
/// </summary>
public sealed class GroupCommitLedgerWriter : IAsyncDisposable
{
    private readonly ILedger _ledger;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <summary>Starts the writer loop over a ledger.</summary>
    public GroupCommitLedgerWriter(ILedger ledger, int maxBatch = 1000, ILogger<GroupCommitLedgerWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _ledger = ledger;
        _maxBatch = maxBatch;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Appends one entry; completes when the transaction holding it has committed.</summary>
    public async Task<LedgerEntry> AppendAsync(LedgerEntryDraft draft, CancellationToken cancellationToken)
    {
        LedgerStore.Validate(draft);
        var pending = new Pending(draft, new TaskCompletionSource<LedgerEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // Cancellation stops the wait, not the append: once queued the entry may already be committed.
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting entries and waits for the queued ones to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var stored = await _ledger.AppendAsync(batch.ConvertAll(p => p.Draft), CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(stored[i]);
                }

                Log.GroupCommitted(_logger, batch.Count, stored[^1].Sequence);
            }
#pragma warning disable CA1031 // The failure is handed to every caller of the batch; the loop must survive it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.GroupCommitFailed(_logger, ex, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Pending(LedgerEntryDraft Draft, TaskCompletionSource<LedgerEntry> Completion);
}
