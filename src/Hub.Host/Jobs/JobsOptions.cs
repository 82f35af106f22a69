using Quartz;

namespace Hub.Host.Jobs;

/// <summary>Schedules of the hub's Quartz jobs (section <c>Hub:Jobs</c>), as Quartz cron expressions (seconds first, UTC).</summary>
internal sealed class JobsOptions
{
    public const string Section = "Hub:Jobs";

    /// <summary>When the signed ledger checkpoint is written; daily at 02:00 UTC by default.</summary>
    public string LedgerCheckpointCron { get; set; } = "0 0 2 * * ?";

    /// <summary>When delivered payloads older than the retention period are purged; daily at 02:30 UTC by default.</summary>
    public string PayloadRetentionCron { get; set; } = "0 30 2 * * ?";

    /// <summary>When spikes are evaluated; every 5 minutes by default.</summary>
    public string SpikeDetectionCron { get; set; } = "0 0/5 * * * ?";

    /// <summary>
    /// Several hub instances share one PostgreSQL job store so each job runs once per schedule across them (Quartz
    /// clustering). Off: each instance has its own in-memory scheduler.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>Let Quartz create its <c>qrtz_</c> tables when they are missing (clustered mode only).</summary>
    public bool ProvisionSchema { get; set; } = true;

    /// <summary>The job store's connection string (clustered mode); defaults to <c>Hub:Database:ConnectionString</c>.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Every schedule must parse, and clustering needs PostgreSQL.</summary>
internal sealed class JobsOptionsValidator(IConfiguration configuration) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(nameof(JobsOptions.LedgerCheckpointCron), options.LedgerCheckpointCron, failures);
        Check(nameof(JobsOptions.PayloadRetentionCron), options.PayloadRetentionCron, failures);
        Check(nameof(JobsOptions.SpikeDetectionCron), options.SpikeDetectionCron, failures);
        if (options.Clustered)
        {
            var provider = configuration["Hub:Database:Provider"] ?? "sqlite";
            if (!string.Equals(provider, "postgresql", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{JobsOptions.Section}:{nameof(JobsOptions.Clustered)} needs Hub:Database:Provider = postgresql (the clustered job store lives there).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether Quartz accepts the expression.</summary>
    public static bool IsValidCron(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return false;
        }

        try
        {
            _ = new CronExpression(cron);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static void Check(string key, string? cron, List<string> failures)
    {
        if (!IsValidCron(cron))
        {
            failures.Add($"{JobsOptions.Section}:{key} must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), e.g. \"0 0 2 * * ?\".");
        }
    }
}
