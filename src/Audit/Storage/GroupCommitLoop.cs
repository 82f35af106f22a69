using System.Threading.Channels;

namespace Hub.Audit.Storage;

/// <summary>
/// The queue and loop behind the group-commit writers: callers queue one request each; one loop drains up to
/// <c>maxBatch</c> queued requests into one commit and completes every caller when it is durable. A failed batch of
/// several requests is committed again one request at a time, so only the request at fault fails.
/// </summary>
/// <typeparam name="TRequest">What a caller queues.</typeparam>
/// <typeparam name="TResult">What a caller gets back once committed.</typeparam>
internal sealed class GroupCommitLoop<TRequest, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> _commit;
    private readonly Action<Exception, int> _batchFailed;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="commit">Commits a batch in one transaction; returns one result per request, in order.</param>
    /// <param name="maxBatch">Most requests one commit carries.</param>
    /// <param name="batchFailed">Told of each failed commit and the size of its batch (1: the failure goes to that caller).</param>
    public GroupCommitLoop(Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> commit, int maxBatch, Action<Exception, int> batchFailed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _commit = commit;
        _maxBatch = maxBatch;
        _batchFailed = batchFailed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues one request; completes when the transaction holding it has committed.</summary>
    public async Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // Cancellation stops the wait, not the commit: once queued the request may already be committed.
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting requests and waits for the queued ones to be committed.</summary>
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

            if (await TryCommitAsync(batch).ConfigureAwait(false) || batch.Count == 1)
            {
                continue;
            }

            // One request may be the cause: commit each alone so the others still land.
            foreach (var pending in batch)
            {
                await TryCommitAsync([pending]).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Commits the batch and completes its callers; false when the commit failed (a single request's caller then has the failure).</summary>
    private async Task<bool> TryCommitAsync(IReadOnlyList<Pending> batch)
    {
        IReadOnlyList<TResult> results;
        try
        {
            results = await _commit(batch.Select(p => p.Request).ToList()).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure is handed to the caller; the loop must survive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _batchFailed(ex, batch.Count);
            if (batch.Count == 1)
            {
                Complete(batch[0], ex);
            }

            return false;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Complete(batch[i], results[i]);
        }

        return true;
    }

    // Each caller resumes on its own pool thread. Completed on this loop, a caller awaiting with a cancellable token
    // (WaitAsync) would resume inline and run its whole request (e.g. an HTTP response) before the next caller and the
    // next batch: measured, that serialized every FHIR POST behind this one thread.
    private static void Complete(Pending pending, TResult result) =>
        ThreadPool.UnsafeQueueUserWorkItem(static done => done.Pending.Completion.TrySetResult(done.Result), (Pending: pending, Result: result), preferLocal: false);

    private static void Complete(Pending pending, Exception failure) =>
        ThreadPool.UnsafeQueueUserWorkItem(static done => done.Pending.Completion.TrySetException(done.Failure), (Pending: pending, Failure: failure), preferLocal: false);

    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Completion);
}
