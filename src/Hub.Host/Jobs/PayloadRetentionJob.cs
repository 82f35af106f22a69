using Hub.Audit.Retention;
using Quartz;

namespace Hub.Host.Jobs;

/// <summary>
/// Purges delivered payloads older than <c>Hub:Audit:PayloadRetentionDays</c>: the minimum necessary is kept only as
/// long as needed, while the ledger entries and their hashes stay (daily by default, <c>Hub:Jobs:PayloadRetentionCron</c>).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class PayloadRetentionJob(RetentionPurger purger, ILogger<PayloadRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("payload-retention", "hub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run: how many payloads were purged.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var purged = await purger.PurgeAsync(cancellationToken).ConfigureAwait(false);
            Log.PayloadsPurged(logger, purged);
            return purged;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.JobFailed(logger, Key.Name, ex);
            throw;
        }
    }
}
