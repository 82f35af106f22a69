using Hub.Routing.Linkage;
using Hub.Routing.Recipients;
using Hub.Routing.Spikes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hub.Routing;

/// <summary>Registers the routing stage: recipients and their matcher, episode linkage, spike detection.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Hub:Recipients</c> (an array), <c>Hub:Linkage</c> and <c>Hub:Spikes</c>, validates them at start
    /// (every error listed), and registers <see cref="IRecipientMatcher"/>, <see cref="IEpisodeLinker"/> and
    /// <see cref="SpikeDetector"/> as singletons (the linker and detector hold in-memory window state).
    /// </summary>
    /// <remarks>
    /// Secrets (<c>PseudonymKey</c>, <c>Delivery:WebhookSecret</c>) come from the environment, e.g.
    /// <c>Hub__Recipients__0__PseudonymKey</c>; a TimeProvider is added (System) unless one is registered.
    /// </remarks>
    public static IServiceCollection AddHubRouting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<RecipientsOptions>()
            .Configure(o => configuration.GetSection(RecipientsOptions.Section).Bind(o.Recipients))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecipientsOptions>, RecipientsOptionsValidator>());

        services.AddOptions<LinkageOptions>()
            .Bind(configuration.GetSection(LinkageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.EmsEdWindow > TimeSpan.Zero && o.SameSourceWindow > TimeSpan.Zero && o.PoliceEmsWindow > TimeSpan.Zero,
                "Hub:Linkage windows must be positive.")
            .ValidateOnStart();

        services.AddOptions<SpikeOptions>()
            .Bind(configuration.GetSection(SpikeOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpikeOptions>, SpikeOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRecipientMatcher, RecipientMatcher>();
        services.TryAddSingleton<IEpisodeLinker, EpisodeLinker>();
        services.TryAddSingleton<SpikeDetector>();
        return services;
    }
}
