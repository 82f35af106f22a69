namespace Hub.SampleData.Feeds;

/// <summary>Where <see cref="SyntheticFeedGenerator.Generate(SyntheticFeedStreams)"/> writes, for callers that keep output in memory or pipe it.</summary>
public sealed record SyntheticFeedStreams
{
    /// <summary>The NEMSIS EMSDataSet XML.</summary>
    public required Stream Nemsis { get; init; }

    /// <summary>FHIR Bulk NDJSON streams keyed by resource type (Patient, Encounter, Condition, MedicationAdministration, Consent); missing types are skipped.</summary>
    public required IReadOnlyDictionary<string, Stream> FhirNdjson { get; init; }

    /// <summary>The CAD CSV.</summary>
    public required Stream CadCsv { get; init; }

    /// <summary>truth.csv: source kind, record id, person id, episode id, overdose, noise.</summary>
    public required Stream Truth { get; init; }

    /// <summary>The CAD profile JSON, when wanted.</summary>
    public Stream? CadProfile { get; init; }

    /// <summary>Opens a stream for one transaction Bundle given the encounter id; the generator disposes it. Null: no bundles.</summary>
    public Func<string, Stream>? OpenFhirBundle { get; init; }
}
