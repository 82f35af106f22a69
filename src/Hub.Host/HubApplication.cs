using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Host.Bus;
using Hub.Host.Configuration;
using Hub.Host.Delivery;
using Hub.Host.Feeds;
using Hub.Host.Jobs;
using Hub.Host.Pipeline;
using Hub.Host.Web;
using Hub.Host.Web.Console;
using Hub.Routing;
using Hub.Routing.Recipients;

namespace Hub.Host;

/// <summary>What a command needs of the hub.</summary>
/// <param name="ConfigFile">The <c>--config</c> file, if any.</param>
/// <param name="Watch">Run the inbox watchers.</param>
/// <param name="Dispatch">Run the outbox dispatcher.</param>
/// <param name="Web">Serve HTTP (health, FHIR intake, console).</param>
/// <param name="Overrides">Configuration values that win over every other source (used by the demo and tests).</param>
/// <param name="LocalKeys">Create the embedded default's audit keys when missing (not for read-only commands).</param>
internal sealed record HubRunSettings(
    string? ConfigFile,
    bool Watch = true,
    bool Dispatch = true,
    bool Web = true,
    IReadOnlyDictionary<string, string?>? Overrides = null,
    bool LocalKeys = true);

/// <summary>The composition root: this file is the table of contents of the hub.</summary>
internal static class HubApplication
{
    public static WebApplication Build(HubRunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The hub reads its configuration once (HubConfiguration.Apply). Without this switch the default sources,
        // cleared right after, would still leave a recursive file watcher on the working folder: with the SQLite
        // database under it, every commit woke that watcher (measured: ≈ 4 % of the hub's CPU under FHIR push load).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        HubConfiguration.Apply(builder.Configuration, settings.ConfigFile);
        if (settings.Overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings.Overrides);
        }

        if (settings.LocalKeys)
        {
            builder.Configuration.AddInMemoryCollection(Configuration.LocalKeys.EnsureFor(builder.Configuration));
        }

        // Logs go to stderr: stdout belongs to command output (the JSON lines of `hub ingest --dry-run`).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddHubAdapters(configuration);          // NEMSIS, FHIR, CAD readers
        services.AddHubRouting(configuration);           // recipients, jurisdictions, episode linkage, spikes
        services.AddHubDeidentification(configuration);  // consent decisions, disclosure profiles, person tokens
        services.AddHubAudit(configuration);             // ledger, outbox, file claims, accounting (SQLite/PostgreSQL)
        services.AddHubMessaging(configuration);         // MassTransit (in-memory or RabbitMQ), recipient queues, webhooks
        services.AddHubPipeline(configuration);          // feeds, intake, the per-event pipeline
        services.AddHubDelivery(configuration);          // acknowledgments and outcomes back, re-sends, escalation
        services.AddHubJobs(configuration);              // Quartz: checkpoints, retention, spikes
        services.AddHubConsole(configuration);           // the web console
        services.AddHubHealth();
        services.AddHostedService<Configuration.ConfigurationChangeRecorder>(); // configuration digest → ledger at start

        if (settings.Watch)
        {
            services.AddHostedService(sp => sp.GetRequiredService<InboxWatcher>());
        }

        if (settings.Dispatch)
        {
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        }

        if (settings.Watch)
        {
            services.AddHostedService<ParkedEventRepublisher>(); // events the bus did not take, published again
        }

        var web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        builder.WebHost.UseUrls(settings.Web ? web.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : []);
        if (!settings.Web)
        {
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        }

        var app = builder.Build();
        app.MapHubHealth();
        app.MapHubFhirEndpoints();
        app.MapHubDeliveryEndpoints();
        app.MapHubConsole();
        return app;
    }

    /// <summary>
    /// Runs every options validator now, so a bad configuration is reported as the list of its problems (by the
    /// caller) before anything starts, rather than as a host start failure.
    /// </summary>
    public static WebApplication Validated(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        return app;
    }

    /// <summary>Feeds, intake, watcher and the per-event pipeline.</summary>
    public static IServiceCollection AddHubPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FeedCatalogOptions>()
            .Configure(o => configuration.GetSection(FeedCatalog.Section).Bind(o.Feeds))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeedCatalogOptions>, FeedCatalogValidator>());
        services.AddOptions<AgreementCatalogOptions>()
            .Configure(o => configuration.GetSection(AgreementCatalog.Section).Bind(o.Agreements))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgreementCatalogOptions>, AgreementCatalogValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecipientsOptions>, RecipientKeyValidator>());
        services.AddOptions<WatcherOptions>().BindConfiguration(WatcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FeedCatalog>();
        services.AddSingleton<AgreementCatalog>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<FeedIntake>();
        services.AddSingleton<InboxWatcher>();
        services.AddSingleton<EpisodeProcessor>();
        services.AddSingleton<PipelineWaiter>();
        services.AddHubFhirFeeds(sp => sp.GetRequiredService<FeedCatalog>().All);
        services.AddSingleton<IFhirIntake, FhirHttpIntake>();
        return services;
    }
}
