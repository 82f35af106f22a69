using Hub.Adapters.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Adapters.Fhir;

/// <summary>Registers the FHIR feed services the <c>POST /fhir</c> endpoint needs.</summary>
public static class FhirServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="FhirFeedReaderFactory"/> and a <see cref="FhirFeedDirectory"/> built from
    /// <paramref name="feeds"/> (the host passes its bound <c>Hub:Feeds</c>). The host also registers its <see cref="IFhirIntake"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="feeds">Returns the configured feeds.</param>
    public static IServiceCollection AddHubFhirFeeds(this IServiceCollection services, Func<IServiceProvider, IEnumerable<FeedOptions>> feeds)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(feeds);
        services.TryAddSingleton<FhirFeedReaderFactory>();
        services.TryAddSingleton(sp => new FhirFeedDirectory(feeds(sp), sp.GetRequiredService<FhirFeedReaderFactory>()));
        return services;
    }
}
