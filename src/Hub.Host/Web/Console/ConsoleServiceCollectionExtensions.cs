namespace Hub.Host.Web.Console;

/// <summary>The web console for feed teams, receiving agencies and auditors.</summary>
internal static class ConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddHubConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static WebApplication MapHubConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}
