using Hub.Audit.Storage;
using Hub.Host.Feeds;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Host.Web;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the bus is connected and the database answers.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>Checks shown on the console's admin health page but not part of readiness (a quiet feed is no reason to stop traffic).</summary>
    public const string ConsoleTag = "console";

    public static IServiceCollection AddHubHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<FeedsHealthCheck>("feeds", tags: [ConsoleTag]);
        return services;
    }

    /// <summary>
    /// The checks behind <c>/health/ready</c> (bus, database) plus the console-only ones (feeds), run now. The admin
    /// page shows names, states and descriptions only: never exception text, which can carry host names or connection details.
    /// </summary>
    public static Task<HealthReport> CheckForConsoleAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        return health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag) || c.Tags.Contains(ConsoleTag), cancellationToken);
    }

    public static IEndpointRouteBuilder MapHubHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        // MassTransit registers its bus check with the "ready" tag.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IIntakeStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = await store.ListSummariesAsync("health-probe", 1, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", ex);
        }
    }
}

/// <summary>
/// Each feed's inbox folder exists (file feeds) and when its last input completed. Degraded when a file feed's inbox
/// folder is missing: files dropped there would never be read.
/// </summary>
internal sealed class FeedsHealthCheck(FeedCatalog catalog, IIntakeStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var missing = new List<string>();
        try
        {
            foreach (var feed in catalog.All.OrderBy(f => f.Id, StringComparer.Ordinal))
            {
                var last = await store.ListSummariesAsync(feed.Id, 1, cancellationToken).ConfigureAwait(false);
                var inbox = string.IsNullOrWhiteSpace(feed.Inbox) ? "no inbox folder (HTTP only)"
                    : Directory.Exists(feed.Inbox) ? "inbox folder present" : "inbox folder missing";
                if (inbox == "inbox folder missing")
                {
                    missing.Add(feed.Id);
                }

                data[feed.Id] = last.Count == 0
                    ? $"{inbox}; nothing ingested yet"
                    : $"{inbox}; last input {last[0].CompletedAtUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)}";
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The feeds' intake records could not be read.", ex);
        }

        var count = catalog.All.Count;
        return missing.Count == 0
            ? HealthCheckResult.Healthy($"{count} feeds configured.", data)
            : HealthCheckResult.Degraded($"{count} feeds configured; inbox folder missing for {string.Join(", ", missing)}.", data: data);
    }
}
