using Hub.Deidentification.DependencyInjection;
using Hub.Deidentification.Disclosure;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using Hub.Deidentification.Pseudonyms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so callers find them without another using.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the privacy stage.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="Hub.Deidentification.IDisclosureService"/>, <see cref="IPersonTokenizer"/> and the validated
    /// <see cref="ProfileCatalog"/>, binding <c>Hub:Privacy</c>. Options and every rule file are validated on start: a bad
    /// key, list version or rule file stops the host with every problem listed.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root.</param>
    public static IServiceCollection AddHubDeidentification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HubPrivacyOptions>().Bind(configuration.GetSection(HubPrivacyOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubPrivacyOptions>, HubPrivacyOptionsValidator>());
        services.TryAddSingleton(sp => LoadCatalog(sp.GetRequiredService<IOptions<HubPrivacyOptions>>().Value));
        services.TryAddSingleton<IPopulationDensity, UnknownPopulationDensity>();
        services.TryAddSingleton<IPersonTokenizer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HubPrivacyOptions>>().Value;
            var key = HubPrivacyOptionsValidator.TryDecode(options.TokenKeyBase64 ?? string.Empty)
                ?? throw new OptionsValidationException(nameof(HubPrivacyOptions), typeof(HubPrivacyOptions), ["TokenKeyBase64 is not valid base64."]);
            return new PersonTokenizer(key);
        });
        services.TryAddSingleton<Hub.Deidentification.IDisclosureService>(sp => new DisclosureService(
            sp.GetRequiredService<ProfileCatalog>(), sp.GetRequiredService<IPersonTokenizer>(), sp.GetRequiredService<IPopulationDensity>()));
        return services;
    }

    /// <summary>Builds the catalog from the configured source (the shipped rule files, or a folder read once at start).</summary>
    internal static ProfileCatalog LoadCatalog(HubPrivacyOptions options)
    {
        var files = options.ProfileSource == "folder" && options.ProfileFolder is { } folder
            ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => new RuleFileText(Path.GetFileName(f), File.ReadAllText(f))).ToList()
            : ProfileCatalog.EmbeddedRuleFiles();
        return ProfileCatalog.Create(files, options.RestrictedZip3ListVersion);
    }
}
