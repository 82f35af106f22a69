using Hub.Audit.Ledger;
using Quartz;

namespace Hub.Host.Jobs;

/// <summary>
/// Signs the ledger's head and writes the checkpoint outside the database, so a later rewrite of history up to it is
/// provable by <c>hub audit verify</c> (daily by default, <c>Hub:Jobs:LedgerCheckpointCron</c>).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class LedgerCheckpointJob(LedgerCheckpointer checkpointer, ILogger<LedgerCheckpointJob> logger) : IJob
{
    public static readonly JobKey Key = new("ledger-checkpoint", "hub");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run: the checkpoint written.</summary>
    public async Task<LedgerCheckpointFile> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var file = await checkpointer.WriteCheckpointAsync(cancellationToken).ConfigureAwait(false);
            Log.CheckpointWritten(logger, file.Checkpoint.Sequence, Path.GetFileName(file.Path));
            return file;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.JobFailed(logger, Key.Name, ex);
            throw;
        }
    }
}
