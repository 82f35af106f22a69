namespace Hub.Host.Delivery;

/// <summary>Delivery beyond the outbox dispatcher: the recipients' way back (acknowledgments, outcomes), re-sends and escalation.</summary>
internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddHubDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapHubDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }
}
