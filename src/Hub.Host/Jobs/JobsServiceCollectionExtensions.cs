using Quartz;

namespace Hub.Host.Jobs;

/// <summary>Scheduled work on Quartz: ledger checkpoints, payload retention, spike detection.</summary>
internal static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the three jobs on Quartz with the schedules of <c>Hub:Jobs</c> (validated at start), the in-memory
    /// store by default or the clustered PostgreSQL store (<c>Hub:Jobs:Clustered</c>), and the hosted scheduler,
    /// which lets a running job finish on shutdown.
    /// </summary>
    public static IServiceCollection AddHubJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobsOptions>>(new JobsOptionsValidator(configuration)));
        services.AddSingleton<SpikeAlertWriter>();
        services.AddTransient<LedgerCheckpointJob>();
        services.AddTransient<PayloadRetentionJob>();
        services.AddTransient<SpikeDetectionJob>();

        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddQuartz(q =>
        {
            if (options.Clustered)
            {
                var connectionString = options.ConnectionString ?? configuration["Hub:Database:ConnectionString"] ?? "";
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering();
                    if (options.ProvisionSchema)
                    {
                        store.ProvisionSchema();
                    }
                });
            }
            else
            {
                q.UseInMemoryStore();
            }

            Schedule<LedgerCheckpointJob>(q, LedgerCheckpointJob.Key, options.LedgerCheckpointCron);
            Schedule<PayloadRetentionJob>(q, PayloadRetentionJob.Key, options.PayloadRetentionCron);
            Schedule<SpikeDetectionJob>(q, SpikeDetectionJob.Key, options.SpikeDetectionCron);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Schedule<TJob>(IQuartzBuilder quartz, JobKey key, string? cron)
        where TJob : IJob
    {
        quartz.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());

        // An invalid expression is reported by JobsOptionsValidator at start, with every other problem.
        if (JobsOptionsValidator.IsValidCron(cron))
        {
            quartz.AddTrigger<TJob>(t => t.ForJob(key).WithIdentity(key.Name + "-trigger", key.Group).WithCronSchedule(cron!, c => c.InTimeZone(TimeZoneInfo.Utc)));
        }
    }
}
