using Hub.Contracts.Model;

namespace Hub.Adapters.Feeds;

/// <summary>Where an input came from: the file (or request body) and its content hash.</summary>
/// <param name="Name">File name without folder, or <c>http</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="ReceivedAtUtc">When the hub received it.</param>
/// <param name="Path">Full path, when it is a file or a folder (a Bulk NDJSON export), else null.</param>
public sealed record SourceDocument(string Name, string Sha256, DateTimeOffset ReceivedAtUtc, string? Path = null);

/// <summary>Why a record could not be read, and where. Never holds patient identifiers.</summary>
/// <param name="Reason">What is wrong, e.g. "unparsable time '31/02/2024 25:00' (format MM/dd/yyyy h:mm:ss tt)". Values quoted here must not be identifiers.</param>
/// <param name="Location">Where: "line 12, column call_type", "line 40 position 7, /EMSDataSet/Header/PatientCareReport[3]", "Bundle.entry[2].resource.subject".</param>
public sealed record RecordReject(string Reason, string Location);

/// <summary>
/// What became of one source record: exactly one of overdose event, counted non-event, or reject.
/// </summary>
public sealed record RecordOutcome
{
    /// <summary>The outcome.</summary>
    public required RecordOutcomeKind Kind { get; init; }

    /// <summary>The record's source id (eRecord.01, <c>Encounter/&lt;id&gt;</c>, CAD incident id), when it could be read.</summary>
    public string? SourceRecordId { get; init; }

    /// <summary>The definition that classified it, as <c>id@version</c> (for overdose and not-overdose).</summary>
    public string? Definition { get; init; }

    /// <summary>The event, for <see cref="RecordOutcomeKind.Overdose"/>.</summary>
    public OverdoseEvent? Event { get; init; }

    /// <summary>The reject, for <see cref="RecordOutcomeKind.Rejected"/>.</summary>
    public RecordReject? Reject { get; init; }

    /// <summary>
    /// True on a reject after which the input could not be read any further (malformed XML or JSON part-way).
    /// Every record before it was still yielded; <c>hub ingest</c> exits 1 when an input ends this way.
    /// </summary>
    public bool EndsInput { get; init; }

    /// <summary>Non-fatal warnings (e.g. XSD problems in lenient mode). No patient identifiers.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Creates a reject outcome.</summary>
    public static RecordOutcome Rejected(string? sourceRecordId, string reason, string location) =>
        new() { Kind = RecordOutcomeKind.Rejected, SourceRecordId = sourceRecordId, Reject = new RecordReject(reason, location) };
}
