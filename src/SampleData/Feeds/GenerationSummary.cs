namespace Hub.SampleData.Feeds;

/// <summary>What a generation run wrote: counts per source, overdoses, links and noise, to print and to assert on.</summary>
public sealed record GenerationSummary
{
    /// <summary>The seed used.</summary>
    public required int Seed { get; init; }

    /// <summary>NEMSIS PatientCareReports written.</summary>
    public int EmsRecords { get; init; }

    /// <summary>Of which opioid overdoses by construction.</summary>
    public int EmsOverdoses { get; init; }

    /// <summary>ED encounters written (FHIR Encounter class EMER).</summary>
    public int EdEncounters { get; init; }

    /// <summary>Of which opioid overdoses.</summary>
    public int EdOverdoses { get; init; }

    /// <summary>ED encounters that follow an EMS overdose run of the same person.</summary>
    public int EdLinkedToEms { get; init; }

    /// <summary>CAD calls written.</summary>
    public int CadCalls { get; init; }

    /// <summary>Of which overdose calls.</summary>
    public int CadOverdoses { get; init; }

    /// <summary>CAD calls at the block of an EMS overdose run, minutes apart.</summary>
    public int CadLinkedToEms { get; init; }

    /// <summary>FHIR resources written per resource type (NDJSON lines).</summary>
    public IReadOnlyDictionary<string, int> FhirResources { get; init; } = new Dictionary<string, int>();

    /// <summary>ED encounters whose resources carry the 42CFRPart2 label.</summary>
    public int Part2Labelled { get; init; }

    /// <summary>Records (EMS and ED) with identity noise.</summary>
    public int NoisyRecords { get; init; }

    /// <summary>Files written, relative to the output folder (empty for stream output).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
