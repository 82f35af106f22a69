using Hub.Adapters.Cad;
using Hub.Adapters.Fhir;
using Hub.Adapters.Nemsis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Adapters.Feeds;

/// <summary>Registers the three source adapters.</summary>
public static class AdaptersServiceCollectionExtensions
{
    /// <summary>
    /// Adds a reader factory per feed kind (NEMSIS XML, FHIR R4 JSON/NDJSON, CAD CSV). Feeds themselves are
    /// configured in section <c>Hub:Feeds</c> and validated by the host at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration (reserved for adapter-wide settings).</param>
    public static IServiceCollection AddHubAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedReaderFactory, NemsisFeedReaderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedReaderFactory, FhirFeedReaderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedReaderFactory, CadFeedReaderFactory>());
        return services;
    }
}
