namespace Hub.Adapters.Fhir;

/// <summary>
/// Counts of one read, for the ingest report and tests: every resource read (by type), lines, files. Not-an-encounter
/// resources yield no outcome, so this is where "every resource was read" is visible.
/// </summary>
public sealed class FhirReadStatistics
{
    /// <summary>Resources parsed, by resourceType.</summary>
    public Dictionary<string, int> ResourcesByType { get; } = new(StringComparer.Ordinal);

    /// <summary>NDJSON lines read (non-empty).</summary>
    public int Lines { get; set; }

    /// <summary>NDJSON lines rejected as unreadable.</summary>
    public int BadLines { get; set; }

    /// <summary>NDJSON files read.</summary>
    public int FilesRead { get; set; }

    /// <summary>Files in an export folder that were skipped (not named like <c>Type.*.ndjson</c>, e.g. log.ndjson).</summary>
    public int FilesSkipped { get; set; }

    /// <summary>Emergency Encounters found (records).</summary>
    public int EmergencyEncounters { get; set; }

    /// <summary>Resources kept in memory to resolve references (the memory bound of a Bulk export read).</summary>
    public int ResourcesKept { get; set; }

    /// <summary>The Bundle type, for Bundle inputs.</summary>
    public string? BundleType { get; set; }

    /// <summary>The Bundle id, for Bundle inputs (idempotency key of a POST).</summary>
    public string? BundleId { get; set; }

    internal void Count(string? type)
    {
        type ??= "";
        ResourcesByType[type] = ResourcesByType.TryGetValue(type, out var n) ? n + 1 : 1;
    }
}
