namespace Hub.Adapters.Nemsis;

/// <summary>One element value as read from a PCR: the element name, the text, and its PN attribute when it carries one.</summary>
internal readonly record struct NemsisValue(string Element, string Value, string? PertinentNegative);

/// <summary>
/// An NV or PN attribute as read: element, reason code, and whether it is a PN. Kept as a struct while the PCR is read
/// (most PCRs are not overdoses); the mapper turns it into <see cref="Hub.Contracts.Model.AbsentValue"/> for events only.
/// </summary>
internal readonly record struct NemsisAbsent(string Element, string ReasonCode, bool PertinentNegative)
{
    public Hub.Contracts.Model.AbsentValue ToAbsentValue() =>
        new() { Element = Element, ReasonCode = ReasonCode, Kind = PertinentNegative ? "PN" : "NV" };
}

/// <summary>One eMedications.MedicationGroup as read.</summary>
internal sealed class NemsisMedicationGroup
{
    public string? Time { get; set; }
    public string? PriorToEms { get; set; }
    public string? Code { get; set; }
    public string? CodeType { get; set; }
    public string? CodePertinentNegative { get; set; }
    public string? Route { get; set; }
    public string? Dose { get; set; }
    public string? DoseUnit { get; set; }
    public string? Response { get; set; }
    public string? Role { get; set; }
}

/// <summary>The elements of one PatientCareReport that the hub needs, as read (unmapped strings). Built by the parser.</summary>
internal sealed class NemsisPcr
{
    public int Index { get; set; }
    public int Line { get; set; }
    /// <summary>Element path of the PCR (built on demand: only events and rejects carry it).</summary>
    public string Path => "/EMSDataSet/Header/PatientCareReport[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
    public string? Uuid { get; set; }
    public string? RecordNumber { get; set; }
    public string? AgencyNumber { get; set; }
    public string? IncidentNumber { get; set; }
    public string? ResponseNumber { get; set; }
    public string? DispatchReason { get; set; }
    public string? PsapCallTime { get; set; }
    public string? UnitNotifiedTime { get; set; }
    public string? ArrivedOnSceneTime { get; set; }
    public string? ArrivedAtPatientTime { get; set; }
    public string? LastName { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? HomeStreet { get; set; }
    public string? HomeCity { get; set; }
    public string? HomeCounty { get; set; }
    public string? HomeState { get; set; }
    public string? HomeZip { get; set; }
    public string? Gender { get; set; }
    public string? Sex { get; set; }
    public string? Age { get; set; }
    public string? AgeUnits { get; set; }
    public string? BirthDate { get; set; }
    public string? Phone { get; set; }
    public string? SceneLocationType { get; set; }
    public string? SceneGps { get; set; }
    public string? SceneStreet { get; set; }
    public string? SceneCity { get; set; }
    public string? SceneState { get; set; }
    public string? SceneZip { get; set; }
    public string? SceneCounty { get; set; }
    public string? SceneCensusTract { get; set; }
    public List<NemsisValue> Situation { get; } = [];
    public List<NemsisMedicationGroup> Medications { get; } = [];
    public List<NemsisValue> Dispositions { get; } = [];
    public string? FinalAcuity { get; set; }
    public string? CardiacArrest { get; set; }
    public string? ArrestOutcome { get; set; }
    public string? Narrative { get; set; }
    /// <summary>NV and PN attributes of the PCR, in document order (a list the scanner reuses from one PCR to the next).</summary>
    public List<NemsisAbsent> Absent { get; init; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>XSD problems found inside the PCR: message and location (no values).</summary>
    public List<(string Message, string Location)> Validation { get; } = [];

    /// <summary>Set when the PCR cannot be used (e.g. a value over the size cap): reason and location.</summary>
    public (string Reason, string Location)? Fault { get; set; }
}
