using Hub.Audit.Outbox;
using Hub.Host.Delivery;

namespace Hub.Host.Pipeline;

/// <summary>Waits until a one-shot run has settled: every published event processed and the outbox drained.</summary>
internal sealed class PipelineWaiter(PipelineProgress progress, IOutbox outbox, OutboxDispatcher dispatcher, TimeProvider time)
{
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            if (progress.Settled)
            {
                await dispatcher.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
                var pending = await outbox.GetPendingAsync(1, cancellationToken).ConfigureAwait(false);
                if (pending.Count == 0 && progress.Settled)
                {
                    return true;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
