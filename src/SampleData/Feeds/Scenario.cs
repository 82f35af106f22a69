using System.Globalization;
using Hub.SampleData.Population;

namespace Hub.SampleData.Feeds;

/// <summary>Ground truth of one source record: which person and episode it belongs to, and the noise applied.</summary>
/// <param name="SourceKind">ems, ed or cad.</param>
/// <param name="SourceRecordId">eRecord.01 (EMS), Encounter/{id} (ED) or incident_id (CAD): what the hub's readers report as source record id.</param>
/// <param name="PersonId">The synthetic person (P000001…).</param>
/// <param name="EpisodeId">The overdose or illness episode; linked records share it.</param>
/// <param name="IsOverdose">Whether the record is an opioid overdose by construction.</param>
/// <param name="Noise">Noise applied, ';'-separated (typo, swapped-name, missing-dob, different-address), or empty.</param>
public sealed record TruthRecord(string SourceKind, string SourceRecordId, string PersonId, string EpisodeId, bool IsOverdose, string Noise);

/// <summary>One administered medication.</summary>
internal sealed record MedicationGiven(DateTimeOffset At, string RxNorm, int DoseMg, bool Improved);

/// <summary>One EMS PatientCareReport.</summary>
internal sealed record EmsRun
{
    public required int Index { get; init; }
    public required string RecordId { get; init; }
    public required Guid Uuid { get; init; }
    public required string EpisodeId { get; init; }
    public required string TruePersonId { get; init; }
    public required SyntheticPerson Patient { get; init; }
    public required string Noise { get; init; }
    public required SyntheticAddress Scene { get; init; }
    public required bool Overdose { get; init; }
    public required DateTimeOffset CallReceived { get; init; }
    public required DateTimeOffset Dispatched { get; init; }
    public required DateTimeOffset EnRoute { get; init; }
    public required DateTimeOffset OnScene { get; init; }
    public required DateTimeOffset AtPatient { get; init; }
    public required DateTimeOffset LeftScene { get; init; }
    public required DateTimeOffset BackInService { get; init; }
    public required string DispatchReason { get; init; }
    public required string ChiefComplaint { get; init; }
    public required string PrimaryImpression { get; init; }
    public required string? SecondaryImpression { get; init; }
    public required IReadOnlyList<MedicationGiven> Medications { get; init; }
    public required string TransportDisposition { get; init; }
    public required bool UseDeprecatedGender { get; init; }
    public required int HeartRate { get; init; }
    public required int RespiratoryRate { get; init; }
    public required int Spo2 { get; init; }
    public required int Systolic { get; init; }
    public required int Gcs { get; init; }
    public bool Transported => TransportDisposition == NemsisCodes.Transported;
    public TruthRecord Truth => new("ems", RecordId, TruePersonId, EpisodeId, Overdose, Noise);
}

/// <summary>One ED visit (FHIR Encounter class EMER).</summary>
internal sealed record EdVisit
{
    public required int Index { get; init; }
    public required string EncounterId { get; init; }
    public required string PatientId { get; init; }
    public required string Mrn { get; init; }
    public required string EpisodeId { get; init; }
    public required string TruePersonId { get; init; }
    public required SyntheticPerson Patient { get; init; }
    public required string Noise { get; init; }
    public required bool Overdose { get; init; }
    public required DateTimeOffset Arrived { get; init; }
    public required DateTimeOffset Departed { get; init; }
    public required string Facility { get; init; }
    public required IReadOnlyList<(string Code, string Display)> Diagnoses { get; init; }
    public required bool Naloxone { get; init; }
    public required bool ConsentDeny { get; init; }
    public required bool Part2 { get; init; }
    public TruthRecord Truth => new("ed", "Encounter/" + EncounterId, TruePersonId, EpisodeId, Overdose, Noise);
}

/// <summary>One police CAD call for service.</summary>
internal sealed record CadCall
{
    public required int Index { get; init; }
    public required string IncidentId { get; init; }
    public required string EpisodeId { get; init; }
    public required string TruePersonId { get; init; }
    public required bool Overdose { get; init; }
    public required DateTimeOffset Received { get; init; }
    public required SyntheticAddress Location { get; init; }
    public required string CallType { get; init; }
    public required string Description { get; init; }
    public required int Priority { get; init; }
    public required string Disposition { get; init; }
    public TruthRecord Truth => new("cad", IncidentId, TruePersonId, EpisodeId, Overdose, "");
}

/// <summary>NEMSIS and clinical code values used by the generator.</summary>
internal static class NemsisCodes
{
    public const string Transported = "4230001";
    public const string RefusedTransport = "4230009";
    public const string NoTransport = "4230013";
    public const string Naloxone = "7242";
    public const string Improved = "9916001";
    public const string Unchanged = "9916003";

    public static readonly string[] OverdoseImpressions = ["T40.1X1A", "T40.411A", "T40.601A", "F11.120", "F11.920", "T40.2X1A", "F11.10"];
    public static readonly string[] OtherImpressions = ["I21.9", "S72.001A", "E16.2", "R55", "J45.909", "R07.9", "I63.9", "S06.0X0A", "N39.0", "F41.9"];
    public static readonly string[] OtherDispatch = ["2301001", "2301011", "2301021", "2301027", "2301033", "2301061", "2301067", "2301069"];

    public static readonly (string Code, string Display)[] EdOverdoseDiagnoses =
    [
        ("T40.1X1A", "Poisoning by heroin, accidental (unintentional), initial encounter"),
        ("T40.411A", "Poisoning by fentanyl or fentanyl analogs, accidental (unintentional), initial encounter"),
        ("T40.2X1A", "Poisoning by other opioids, accidental (unintentional), initial encounter"),
        ("T40.601A", "Poisoning by unspecified narcotics, accidental (unintentional), initial encounter"),
    ];

    public static readonly (string Code, string Display)[] EdOtherDiagnoses =
    [
        ("J18.9", "Pneumonia, unspecified organism"),
        ("R07.9", "Chest pain, unspecified"),
        ("S52.501A", "Unspecified fracture of the lower end of right radius, initial encounter"),
        ("N39.0", "Urinary tract infection, site not specified"),
        ("K35.80", "Unspecified acute appendicitis"),
        ("E11.65", "Type 2 diabetes mellitus with hyperglycemia"),
    ];

    public static string Undotted(string code) => code.Replace(".", "", StringComparison.Ordinal);

    public static string Id(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index + 1:D6}");
}
