using Hub.Routing.Spikes;
using Quartz;

namespace Hub.Host.Jobs;

/// <summary>
/// Evaluates the rolling spike windows and queues one <c>OverdoseSpikeDetected</c> per spike and health department
/// (every 5 minutes by default, <c>Hub:Jobs:SpikeDetectionCron</c>).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class SpikeDetectionJob(SpikeDetector detector, SpikeAlertWriter writer, ILogger<SpikeDetectionJob> logger) : IJob
{
    public static readonly JobKey Key = new("spike-detection", "hub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run: how many alert messages were queued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var spikes = detector.Evaluate();
            Log.SpikesEvaluated(logger, spikes.Count);
            var queued = 0;
            foreach (var spike in spikes)
            {
                queued += await writer.EnqueueAsync(spike, cancellationToken).ConfigureAwait(false);
            }

            return queued;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.JobFailed(logger, Key.Name, ex);
            throw;
        }
    }
}
