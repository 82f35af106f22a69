namespace Hub.Host.Jobs;

/// <summary>Scheduled work on Quartz: ledger checkpoints, payload retention, spike detection.</summary>
internal static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddHubJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
