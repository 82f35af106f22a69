using System.Collections.Frozen;
using Hub.Adapters.Feeds;
using Microsoft.Extensions.Logging;

namespace Hub.Adapters.Fhir;

/// <summary>Creates <see cref="FhirFeedReader"/>s: checks the time zone and definition scope once, at configuration time.</summary>
public sealed class FhirFeedReaderFactory : IFeedReaderFactory
{
    private readonly ILoggerFactory? loggerFactory;

    /// <summary>Creates the factory without logging.</summary>
    public FhirFeedReaderFactory()
    {
    }

    /// <summary>Creates the factory.</summary>
    public FhirFeedReaderFactory(ILoggerFactory loggerFactory)
    {
        this.loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public FeedKind Kind => FeedKind.Fhir;

    /// <inheritdoc />
    public IFeedReader Create(FeedOptions feed) => CreateReader(feed);

    /// <summary>Creates the concrete reader (with its statistics overload and <see cref="FhirFeedReader.ReadResource"/>).</summary>
    public FhirFeedReader CreateReader(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(feed.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FeedConfigurationException($"Feed '{feed.Id}': unknown time zone '{feed.TimeZone}'.", ex);
        }

        return new FhirFeedReader(feed, CreateClassifier(feed), zone, loggerFactory?.CreateLogger<FhirFeedReader>());
    }

    /// <summary>The definitions a feed applies, in order: opioid, then all-drug when its scope is <c>all-drug</c>.</summary>
    public static IReadOnlyList<FhirCaseDefinition> DefinitionsFor(FeedOptions feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var opioid = FhirCaseDefinitions.Opioid;
        if (feed.Fhir.AdditionalOpioidSnomedCodes.Count > 0)
        {
            opioid = opioid with
            {
                Version = opioid.Version + "+local",
                SnomedCodes = opioid.SnomedCodes.Concat(feed.Fhir.AdditionalOpioidSnomedCodes).ToFrozenSet(StringComparer.Ordinal),
            };
        }

        return feed.DefinitionScope switch
        {
            "opioid" or "" => [opioid],
            "all-drug" => [opioid, FhirCaseDefinitions.AllDrug],
            _ => throw new FeedConfigurationException($"Feed '{feed.Id}': DefinitionScope must be 'opioid' or 'all-drug'."),
        };
    }

    internal static FhirClassifier CreateClassifier(FeedOptions feed)
    {
        var naloxone = FhirCaseDefinitions.NaloxoneRxNorm.Concat(feed.Fhir.AdditionalNaloxoneRxNorm).ToFrozenSet(StringComparer.Ordinal);
        return new FhirClassifier(DefinitionsFor(feed), naloxone);
    }
}
