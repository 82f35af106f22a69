namespace Hub.Contracts.Model;

/// <summary>
/// The canonical overdose event: one source record (an EMS run, an ED encounter, a police call) that a case
/// definition classified as an overdose. Every adapter maps to this shape. It carries PHI and never leaves
/// the hub as it is: recipients only receive an <see cref="Messages.OverdoseNotification"/> made from it by the
/// privacy stage.
/// </summary>
public sealed record OverdoseEvent
{
    /// <summary>The hub's id for this event: stable for the same feed and source record (no PHI).</summary>
    public required string EventId { get; init; }

    /// <summary>The kind of source. No PHI.</summary>
    public required SourceKind SourceKind { get; init; }

    /// <summary>The feed's configured id. No PHI.</summary>
    public required string FeedId { get; init; }

    /// <summary>The source agency's id (the covered entity or police agency that sent it). No PHI.</summary>
    public required string SourceAgencyId { get; init; }

    /// <summary>
    /// The record's id in the source: NEMSIS eRecord.01, <c>Encounter/&lt;id&gt;</c>, or the CAD incident number.
    /// Can carry PHI (a record number is an identifier under Safe Harbor).
    /// </summary>
    public required string SourceRecordId { get; init; }

    /// <summary>When the overdose happened or was first reported, with the source's UTC offset. PHI (a date).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The response's timeline as the source recorded it (each with its UTC offset). PHI (dates).</summary>
    public EventTimeline Timeline { get; init; } = new();

    /// <summary>Further identifiers of the record (incident number, response number, visit number). Can carry PHI.</summary>
    public IReadOnlyList<RecordIdentifier> RecordIdentifiers { get; init; } = [];

    /// <summary>Where it happened, and how precisely that is known. PHI (geography below state).</summary>
    public EventLocation Location { get; init; } = new();

    /// <summary>Who it happened to, as the source recorded it. PHI; absent for police calls.</summary>
    public SubjectIdentity? Subject { get; init; }

    /// <summary>What happened: drugs, naloxone, response, impressions, disposition. Can carry PHI (dates, free text).</summary>
    public ClinicalFacts Clinical { get; init; } = new();

    /// <summary>Which case definition matched and why. No PHI.</summary>
    public required DetectionResult Detection { get; init; }

    /// <summary>Consent signals found on or about the record (FHIR Consent, documented refusal). No PHI.</summary>
    public IReadOnlyList<ConsentSignal> ConsentSignals { get; init; } = [];

    /// <summary>Security labels (DS4P <c>meta.security</c>, such as 42CFRPart2, R, NORDSCLCD). No PHI.</summary>
    public IReadOnlyList<SecurityLabel> SecurityLabels { get; init; } = [];

    /// <summary>Where in which file the record was read. No PHI (file names are the hub's own).</summary>
    public required Provenance Provenance { get; init; }

    /// <summary>
    /// Free-text narrative (NEMSIS eNarrative.01, ED chief complaint text). PHI. Only present when the feed is
    /// configured to keep it; disclosed only to a recipient whose profile names it.
    /// </summary>
    public string? Narrative { get; init; }

    /// <summary>Non-fatal problems found while reading the record (e.g. XSD warnings in lenient mode). No PHI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>When each step of the response happened. Every field is PHI (a date) and optional.</summary>
public sealed record EventTimeline
{
    /// <summary>Call received at the PSAP (NEMSIS eTimes.01; CAD received time). PHI.</summary>
    public DateTimeOffset? CallReceivedAt { get; init; }

    /// <summary>Unit notified or dispatched (NEMSIS eTimes.03; CAD dispatched time). PHI.</summary>
    public DateTimeOffset? DispatchedAt { get; init; }

    /// <summary>Unit arrived on scene (NEMSIS eTimes.06; CAD on-scene time). PHI.</summary>
    public DateTimeOffset? ArrivedOnSceneAt { get; init; }

    /// <summary>Arrived at the patient: first patient contact (NEMSIS eTimes.07; ED encounter start). PHI.</summary>
    public DateTimeOffset? PatientContactAt { get; init; }

    /// <summary>The call or encounter closed (CAD closed time; ED encounter end). PHI.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>An identifier of the source record other than its main id.</summary>
public sealed record RecordIdentifier
{
    /// <summary>What the identifier is, e.g. <c>incident-number</c>, <c>response-number</c>. No PHI.</summary>
    public required string Kind { get; init; }

    /// <summary>The value as read. Can carry PHI.</summary>
    public required string Value { get; init; }
}

/// <summary>A place, with the precision it is known at. Every field is PHI except <see cref="Precision"/> and <see cref="State"/>.</summary>
public sealed record EventLocation
{
    /// <summary>The most precise level at which this location is known. No PHI.</summary>
    public LocationPrecision Precision { get; init; } = LocationPrecision.Unknown;

    /// <summary>Street address line (number and street). PHI.</summary>
    public string? StreetAddress { get; init; }

    /// <summary>Block description as published ("1200 BLOCK OF MAIN ST"). PHI.</summary>
    public string? Block { get; init; }

    /// <summary>Intersection ("MAIN ST / 5TH AVE"). PHI.</summary>
    public string? Intersection { get; init; }

    /// <summary>City or municipality name. PHI below state.</summary>
    public string? City { get; init; }

    /// <summary>State as a two-letter USPS code or a 2-digit FIPS code. No PHI.</summary>
    public string? State { get; init; }

    /// <summary>ZIP code, five digits (or ZIP+4). PHI.</summary>
    public string? Zip { get; init; }

    /// <summary>County as a 5-digit FIPS code (state + county). PHI below state.</summary>
    public string? CountyFips { get; init; }

    /// <summary>Census tract (11-digit GEOID or as the source wrote it). PHI.</summary>
    public string? CensusTract { get; init; }

    /// <summary>Latitude in decimal degrees (WGS 84). PHI.</summary>
    public double? Latitude { get; init; }

    /// <summary>Longitude in decimal degrees (WGS 84). PHI.</summary>
    public double? Longitude { get; init; }

    /// <summary>Police beat, district or sector. Sensitive, not PHI on its own (it narrows the place).</summary>
    public string? Beat { get; init; }

    /// <summary>Type of location (private residence, street, public building), as coded by the source. No PHI.</summary>
    public string? LocationType { get; init; }

    /// <summary>True when the source marked the call sensitive and its location was suppressed. No PHI.</summary>
    public bool Suppressed { get; init; }
}

/// <summary>A postal address.</summary>
public sealed record PostalAddress
{
    /// <summary>Street line. PHI.</summary>
    public string? Street { get; init; }

    /// <summary>City. PHI.</summary>
    public string? City { get; init; }

    /// <summary>County as 5-digit FIPS. PHI.</summary>
    public string? CountyFips { get; init; }

    /// <summary>State code. No PHI.</summary>
    public string? State { get; init; }

    /// <summary>ZIP code. PHI.</summary>
    public string? Zip { get; init; }
}

/// <summary>Who an event happened to, as the source recorded it. Every field here is PHI.</summary>
public sealed record SubjectIdentity
{
    /// <summary>Family (last) name. PHI.</summary>
    public string? FamilyName { get; init; }

    /// <summary>Given (first) name. PHI.</summary>
    public string? GivenName { get; init; }

    /// <summary>Middle name or initial. PHI.</summary>
    public string? MiddleName { get; init; }

    /// <summary>Date of birth. PHI.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Age in whole years at the event, when known or derivable. PHI when over 89.</summary>
    public int? AgeYears { get; init; }

    /// <summary>Age as recorded, with its unit (e.g. "7 months"), when not in years. PHI.</summary>
    public string? AgeAsRecorded { get; init; }

    /// <summary>Administrative sex: <c>female</c>, <c>male</c>, <c>other</c>, <c>unknown</c>. Not PHI on its own.</summary>
    public string? Sex { get; init; }

    /// <summary>Phone number as recorded. PHI.</summary>
    public string? Phone { get; init; }

    /// <summary>Home address. PHI.</summary>
    public PostalAddress? HomeAddress { get; init; }

    /// <summary>Medical record number. PHI; never disclosed by any shipped profile.</summary>
    public string? MedicalRecordNumber { get; init; }

    /// <summary>Social security number. PHI; never disclosed by any shipped profile.</summary>
    public string? SocialSecurityNumber { get; init; }
}

/// <summary>A coded value, such as an ICD-10-CM impression or a SNOMED CT diagnosis.</summary>
public sealed record CodedValue
{
    /// <summary>The code system: <c>ICD-10-CM</c>, <c>SNOMED-CT</c>, <c>RxNorm</c>, <c>NEMSIS</c>, or a URI. No PHI.</summary>
    public required string System { get; init; }

    /// <summary>The code, normalized (ICD-10-CM upper case with its dot). No PHI.</summary>
    public required string Code { get; init; }

    /// <summary>Display text, when the source gave one. No PHI.</summary>
    public string? Display { get; init; }

    /// <summary>Where it was read (NEMSIS element such as <c>eSituation.11</c>, or a FHIR path). No PHI.</summary>
    public string? Element { get; init; }
}

/// <summary>One medication given, as one NEMSIS eMedications group or one FHIR MedicationAdministration.</summary>
public sealed record MedicationGiven
{
    /// <summary>The medication code (RxNorm for naloxone 7242). No PHI.</summary>
    public required CodedValue Medication { get; init; }

    /// <summary>When it was given, with offset. PHI (a date).</summary>
    public DateTimeOffset? AdministeredAt { get; init; }

    /// <summary>True when it was given before this unit's care (bystander or police naloxone). No PHI.</summary>
    public bool GivenPriorToEmsCare { get; init; }

    /// <summary>Dose amount. No PHI.</summary>
    public decimal? Dose { get; init; }

    /// <summary>Dose unit, as coded by the source. No PHI.</summary>
    public string? DoseUnit { get; init; }

    /// <summary>Route of administration, as coded by the source. No PHI.</summary>
    public string? Route { get; init; }

    /// <summary>The patient's response. No PHI.</summary>
    public MedicationResponse Response { get; init; } = MedicationResponse.Unknown;

    /// <summary>Role of who gave it (EMS, law enforcement, lay person, patient), as coded by the source. No PHI.</summary>
    public string? AdministeredByRole { get; init; }

    /// <summary>True when the medication is naloxone by the definitions' naloxone code list. No PHI.</summary>
    public bool IsNaloxone { get; init; }
}

/// <summary>A value the source explicitly marked as absent (NEMSIS NV/PN), kept so it is never mistaken for a value.</summary>
public sealed record AbsentValue
{
    /// <summary>The element, e.g. <c>eSituation.10</c>. No PHI.</summary>
    public required string Element { get; init; }

    /// <summary>The reason code, e.g. <c>7701003</c> (Not Recorded) or <c>8801019</c> (Refused). No PHI.</summary>
    public required string ReasonCode { get; init; }

    /// <summary><c>NV</c> (not value) or <c>PN</c> (pertinent negative). No PHI.</summary>
    public required string Kind { get; init; }
}

/// <summary>The clinical facts of an event that outreach and privacy decisions need.</summary>
public sealed record ClinicalFacts
{
    /// <summary>The drug class attributed by the case definition. No PHI.</summary>
    public SubstanceClass Substance { get; init; } = SubstanceClass.Unknown;

    /// <summary>True when any naloxone was given, by anyone. No PHI.</summary>
    public bool NaloxoneGiven { get; init; }

    /// <summary>Total naloxone administrations recorded. No PHI.</summary>
    public int NaloxoneDoses { get; init; }

    /// <summary>Every medication given, in source order. Can carry PHI (administration times).</summary>
    public IReadOnlyList<MedicationGiven> Medications { get; init; } = [];

    /// <summary>Impressions and diagnoses (ICD-10-CM, SNOMED CT), primary first. No PHI.</summary>
    public IReadOnlyList<CodedValue> Impressions { get; init; } = [];

    /// <summary>Symptoms (NEMSIS eSituation.09/.10). No PHI.</summary>
    public IReadOnlyList<CodedValue> Symptoms { get; init; } = [];

    /// <summary>Dispatch complaint or CAD call type, as coded. No PHI.</summary>
    public string? DispatchReason { get; init; }

    /// <summary>True when the person died, false when known alive, null when unknown. PHI when combined with a date.</summary>
    public bool? Fatal { get; init; }

    /// <summary>Normalized disposition. No PHI.</summary>
    public DispositionKind Disposition { get; init; } = DispositionKind.Unknown;

    /// <summary>Disposition codes or text as the source gave them (e.g. <c>eDisposition.30=4230009</c>). No PHI.</summary>
    public IReadOnlyList<string> DispositionCodes { get; init; } = [];

    /// <summary>Disposition text when it did not map to a known kind. No PHI.</summary>
    public string? DispositionText { get; init; }

    /// <summary>Elements the source marked as absent, with their reason. No PHI.</summary>
    public IReadOnlyList<AbsentValue> AbsentValues { get; init; } = [];
}

/// <summary>Which case definition matched the record and the evidence for it.</summary>
public sealed record DetectionResult
{
    /// <summary>Definition id, e.g. <c>nemsis-opioid-overdose</c>, <c>cdc-dose-ed-opioid</c>, <c>cad-call-type</c>. No PHI.</summary>
    public required string DefinitionId { get; init; }

    /// <summary>Definition version, e.g. <c>2025-12-17</c>. No PHI.</summary>
    public required string DefinitionVersion { get; init; }

    /// <summary>The evidence: each element and value that matched. No PHI (codes only, never free text).</summary>
    public IReadOnlyList<DetectionEvidence> Evidence { get; init; } = [];
}

/// <summary>One piece of matching evidence.</summary>
public sealed record DetectionEvidence
{
    /// <summary>The rule of the definition that matched, e.g. <c>impression-regex</c>, <c>naloxone-improved</c>. No PHI.</summary>
    public required string Rule { get; init; }

    /// <summary>The element or path, e.g. <c>eSituation.11</c> or <c>Condition.code</c>. No PHI.</summary>
    public required string Element { get; init; }

    /// <summary>The value that matched (a code or call type). No PHI.</summary>
    public required string Value { get; init; }
}

/// <summary>A consent signal attached to an event.</summary>
public sealed record ConsentSignal
{
    /// <summary>What kind of signal. No PHI.</summary>
    public required ConsentSignalKind Kind { get; init; }

    /// <summary>Purposes of use it covers (v3 ActReason: PUBHLTH, TREAT, ETREAT, HPAYMT...); empty means all. No PHI.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Actor roles or recipient ids it names; empty means anyone. No PHI.</summary>
    public IReadOnlyList<string> Actors { get; init; } = [];

    /// <summary>Start of the period it applies to (inclusive), if limited. No PHI.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>End of the period it applies to (inclusive), if limited. No PHI.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>Where it came from, e.g. <c>Consent/123</c> or <c>eDisposition.30</c>. No PHI.</summary>
    public string? Source { get; init; }
}

/// <summary>A security label (HL7 DS4P), as carried in FHIR <c>meta.security</c>.</summary>
public sealed record SecurityLabel
{
    /// <summary>The code system URI, e.g. <c>http://terminology.hl7.org/CodeSystem/v3-ActCode</c>. No PHI.</summary>
    public required string System { get; init; }

    /// <summary>The code, e.g. <c>42CFRPart2</c>, <c>R</c>, <c>NORDSCLCD</c>. No PHI.</summary>
    public required string Code { get; init; }
}

/// <summary>Where a record was read. No PHI.</summary>
public sealed record Provenance
{
    /// <summary>The file name (no folder) or <c>http</c> for a POST. No PHI.</summary>
    public required string Source { get; init; }

    /// <summary>SHA-256 of the whole file or request body, lower-case hex. No PHI.</summary>
    public required string Sha256 { get; init; }

    /// <summary>1-based line where the record starts, when the format has lines. No PHI.</summary>
    public int? Line { get; init; }

    /// <summary>Element path or JSON path of the record, e.g. <c>/EMSDataSet/Header/PatientCareReport[3]</c>. No PHI.</summary>
    public string? Path { get; init; }

    /// <summary>When the hub received the file or request, UTC. No PHI.</summary>
    public required DateTimeOffset ReceivedAtUtc { get; init; }
}
