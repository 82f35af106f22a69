using System.Text.Json.Serialization;

namespace Hub.Adapters.Fhir.Model;

#pragma warning disable CA2227 // Deserialized DTOs: System.Text.Json fills settable lists.
#pragma warning disable CA1002 // List<T> keeps deserialization allocation-light.

/// <summary>
/// Base of every R4 resource the hub reads. Deserialized through <see cref="FhirResourceConverter"/>, which picks the
/// concrete type from <c>resourceType</c>; types the hub does not model become <see cref="OtherResource"/>.
/// </summary>
public abstract class Resource
{
    /// <summary>The resource type name.</summary>
    [JsonPropertyName("resourceType")]
    [JsonPropertyOrder(-10)]
    public string? ResourceType { get; set; }

    /// <summary>Logical id.</summary>
    public string? Id { get; set; }

    /// <summary>Metadata, including DS4P <c>meta.security</c>.</summary>
    public Meta? Meta { get; set; }

    /// <summary>Implicit rules.</summary>
    public string? ImplicitRules { get; set; }

    /// <summary>Language.</summary>
    public string? Language { get; set; }

    /// <summary>Narrative (PHI).</summary>
    public Narrative? Text { get; set; }

    /// <summary>Contained resources (resolved by <c>#id</c>).</summary>
    public List<Resource>? Contained { get; set; }

    /// <summary>Extensions.</summary>
    public List<Extension>? Extension { get; set; }

    /// <summary>Business identifiers (for conditional references); empty for types without them.</summary>
    [JsonIgnore]
    public virtual IReadOnlyList<Identifier> Identifiers => [];
}

/// <summary>A resource type the hub does not model (Claim, Practitioner...): only its type and id are kept.</summary>
public sealed class OtherResource : Resource;

/// <summary>R4 Bundle.</summary>
public sealed class Bundle : Resource
{
    /// <summary>Persistent identifier.</summary>
    public Identifier? Identifier { get; set; }

    /// <summary>transaction | batch | collection | message | document | searchset | history...</summary>
    public string? Type { get; set; }

    /// <summary>When assembled.</summary>
    public string? Timestamp { get; set; }

    /// <summary>Search total.</summary>
    public int? Total { get; set; }

    /// <summary>Entries.</summary>
    public List<BundleEntry>? Entry { get; set; }
}

/// <summary>R4 Bundle.entry.</summary>
public sealed class BundleEntry
{
    /// <summary>URI of the resource (<c>urn:uuid:</c> or absolute URL).</summary>
    public string? FullUrl { get; set; }

    /// <summary>The resource.</summary>
    public Resource? Resource { get; set; }

    /// <summary>Transaction/batch request.</summary>
    public BundleEntryRequest? Request { get; set; }

    /// <summary>Transaction/batch response.</summary>
    public BundleEntryResponse? Response { get; set; }
}

/// <summary>R4 Bundle.entry.request.</summary>
public sealed class BundleEntryRequest
{
    /// <summary>GET | POST | PUT | DELETE...</summary>
    public string? Method { get; set; }

    /// <summary>URL.</summary>
    public string? Url { get; set; }

    /// <summary>Conditional create.</summary>
    public string? IfNoneExist { get; set; }
}

/// <summary>R4 Bundle.entry.response.</summary>
public sealed class BundleEntryResponse
{
    /// <summary>Status line, e.g. <c>201 Created</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Location.</summary>
    public string? Location { get; set; }

    /// <summary>Outcome.</summary>
    public Resource? Outcome { get; set; }
}

/// <summary>R4 Patient.</summary>
public sealed class Patient : Resource
{
    /// <summary>Identifiers (MRN, SSN...).</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Active.</summary>
    public bool? Active { get; set; }

    /// <summary>Names.</summary>
    public List<HumanName>? Name { get; set; }

    /// <summary>Telecom.</summary>
    public List<ContactPoint>? Telecom { get; set; }

    /// <summary>male | female | other | unknown.</summary>
    public string? Gender { get; set; }

    /// <summary>Birth date (YYYY, YYYY-MM or YYYY-MM-DD).</summary>
    public string? BirthDate { get; set; }

    /// <summary>Primitive extension of birthDate.</summary>
    [JsonPropertyName("_birthDate")]
    public PrimitiveElement? BirthDateElement { get; set; }

    /// <summary>deceasedBoolean.</summary>
    public bool? DeceasedBoolean { get; set; }

    /// <summary>deceasedDateTime.</summary>
    public string? DeceasedDateTime { get; set; }

    /// <summary>Addresses.</summary>
    public List<Address>? Address { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Encounter.</summary>
public sealed class Encounter : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Status.</summary>
    public string? Status { get; set; }

    /// <summary>Class (v3-ActCode EMER for emergency).</summary>
    public Coding? Class { get; set; }

    /// <summary>Types (SNOMED 50849002 emergency room admission...).</summary>
    public List<CodeableConcept>? Type { get; set; }

    /// <summary>Service type.</summary>
    public CodeableConcept? ServiceType { get; set; }

    /// <summary>Priority.</summary>
    public CodeableConcept? Priority { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Subject { get; set; }

    /// <summary>Start and end.</summary>
    public Period? Period { get; set; }

    /// <summary>Coded reasons; <c>text</c> carries the chief complaint.</summary>
    public List<CodeableConcept>? ReasonCode { get; set; }

    /// <summary>Reasons as Condition/Observation/Procedure references.</summary>
    public List<ResourceReference>? ReasonReference { get; set; }

    /// <summary>Diagnoses.</summary>
    public List<EncounterDiagnosis>? Diagnosis { get; set; }

    /// <summary>Admission and discharge details.</summary>
    public EncounterHospitalization? Hospitalization { get; set; }

    /// <summary>Locations.</summary>
    public List<EncounterLocation>? Location { get; set; }

    /// <summary>Organization responsible.</summary>
    public ResourceReference? ServiceProvider { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Encounter.diagnosis.</summary>
public sealed class EncounterDiagnosis
{
    /// <summary>The Condition.</summary>
    public ResourceReference? Condition { get; set; }

    /// <summary>Role (AD, DD, CC...).</summary>
    public CodeableConcept? Use { get; set; }

    /// <summary>Rank (1 = primary).</summary>
    public int? Rank { get; set; }
}

/// <summary>R4 Encounter.hospitalization.</summary>
public sealed class EncounterHospitalization
{
    /// <summary>Discharge disposition.</summary>
    public CodeableConcept? DischargeDisposition { get; set; }

    /// <summary>Admit source.</summary>
    public CodeableConcept? AdmitSource { get; set; }
}

/// <summary>R4 Encounter.location.</summary>
public sealed class EncounterLocation
{
    /// <summary>The Location.</summary>
    public ResourceReference? Location { get; set; }

    /// <summary>Status.</summary>
    public string? Status { get; set; }
}

/// <summary>R4 Location (read for the Encounter's place when the patient has no address).</summary>
public sealed class Location : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Name.</summary>
    public string? Name { get; set; }

    /// <summary>Address.</summary>
    public Address? Address { get; set; }

    /// <summary>Position.</summary>
    public LocationPosition? Position { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Location.position.</summary>
public sealed class LocationPosition
{
    /// <summary>Longitude (WGS84).</summary>
    public decimal? Longitude { get; set; }

    /// <summary>Latitude (WGS84).</summary>
    public decimal? Latitude { get; set; }

    /// <summary>Altitude.</summary>
    public decimal? Altitude { get; set; }
}

/// <summary>R4 Condition.</summary>
public sealed class Condition : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Clinical status.</summary>
    public CodeableConcept? ClinicalStatus { get; set; }

    /// <summary>Verification status (entered-in-error and refuted are ignored).</summary>
    public CodeableConcept? VerificationStatus { get; set; }

    /// <summary>Categories (encounter-diagnosis, problem-list-item).</summary>
    public List<CodeableConcept>? Category { get; set; }

    /// <summary>The diagnosis code.</summary>
    public CodeableConcept? Code { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Subject { get; set; }

    /// <summary>The encounter.</summary>
    public ResourceReference? Encounter { get; set; }

    /// <summary>onsetDateTime.</summary>
    public string? OnsetDateTime { get; set; }

    /// <summary>onsetPeriod.</summary>
    public Period? OnsetPeriod { get; set; }

    /// <summary>Recorded date.</summary>
    public string? RecordedDate { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 MedicationAdministration.</summary>
public sealed class MedicationAdministration : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Status (not-done and entered-in-error are ignored).</summary>
    public string? Status { get; set; }

    /// <summary>medicationCodeableConcept.</summary>
    public CodeableConcept? MedicationCodeableConcept { get; set; }

    /// <summary>medicationReference.</summary>
    public ResourceReference? MedicationReference { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Subject { get; set; }

    /// <summary>The encounter.</summary>
    public ResourceReference? Context { get; set; }

    /// <summary>effectiveDateTime.</summary>
    public string? EffectiveDateTime { get; set; }

    /// <summary>effectivePeriod.</summary>
    public Period? EffectivePeriod { get; set; }

    /// <summary>Performers.</summary>
    public List<MedicationAdministrationPerformer>? Performer { get; set; }

    /// <summary>Dosage.</summary>
    public MedicationAdministrationDosage? Dosage { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 MedicationAdministration.performer.</summary>
public sealed class MedicationAdministrationPerformer
{
    /// <summary>Function.</summary>
    public CodeableConcept? Function { get; set; }

    /// <summary>Actor.</summary>
    public ResourceReference? Actor { get; set; }
}

/// <summary>R4 MedicationAdministration.dosage.</summary>
public sealed class MedicationAdministrationDosage
{
    /// <summary>Text.</summary>
    public string? Text { get; set; }

    /// <summary>Route.</summary>
    public CodeableConcept? Route { get; set; }

    /// <summary>Dose.</summary>
    public Quantity? Dose { get; set; }
}

/// <summary>R4 MedicationStatement.</summary>
public sealed class MedicationStatement : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Status.</summary>
    public string? Status { get; set; }

    /// <summary>medicationCodeableConcept.</summary>
    public CodeableConcept? MedicationCodeableConcept { get; set; }

    /// <summary>medicationReference.</summary>
    public ResourceReference? MedicationReference { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Subject { get; set; }

    /// <summary>The encounter.</summary>
    public ResourceReference? Context { get; set; }

    /// <summary>effectiveDateTime.</summary>
    public string? EffectiveDateTime { get; set; }

    /// <summary>effectivePeriod.</summary>
    public Period? EffectivePeriod { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Medication.</summary>
public sealed class Medication : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Code (RxNorm).</summary>
    public CodeableConcept? Code { get; set; }

    /// <summary>Status.</summary>
    public string? Status { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Consent (trial use).</summary>
public sealed class Consent : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>draft | proposed | active | rejected | inactive | entered-in-error. Only active applies.</summary>
    public string? Status { get; set; }

    /// <summary>Scope (patient-privacy, treatment, research, adr).</summary>
    public CodeableConcept? Scope { get; set; }

    /// <summary>Categories.</summary>
    public List<CodeableConcept>? Category { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Patient { get; set; }

    /// <summary>When agreed.</summary>
    public string? DateTime { get; set; }

    /// <summary>Rules.</summary>
    public ConsentProvision? Provision { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 Consent.provision (nested).</summary>
public sealed class ConsentProvision
{
    /// <summary>deny | permit.</summary>
    public string? Type { get; set; }

    /// <summary>Period.</summary>
    public Period? Period { get; set; }

    /// <summary>Actors.</summary>
    public List<ConsentActor>? Actor { get; set; }

    /// <summary>Actions.</summary>
    public List<CodeableConcept>? Action { get; set; }

    /// <summary>Security labels.</summary>
    public List<Coding>? SecurityLabel { get; set; }

    /// <summary>Purposes of use.</summary>
    public List<Coding>? Purpose { get; set; }

    /// <summary>Classes.</summary>
    public List<Coding>? Class { get; set; }

    /// <summary>Codes.</summary>
    public List<CodeableConcept>? Code { get; set; }

    /// <summary>Data period.</summary>
    public Period? DataPeriod { get; set; }

    /// <summary>Nested provisions.</summary>
    public List<ConsentProvision>? Provision { get; set; }
}

/// <summary>R4 Consent.provision.actor.</summary>
public sealed class ConsentActor
{
    /// <summary>Role.</summary>
    public CodeableConcept? Role { get; set; }

    /// <summary>Who.</summary>
    public ResourceReference? Reference { get; set; }
}

/// <summary>R4 Observation (chief complaint LOINC 8661-1, drug screens).</summary>
public sealed class Observation : Resource
{
    /// <summary>Identifiers.</summary>
    public List<Identifier>? Identifier { get; set; }

    /// <summary>Status.</summary>
    public string? Status { get; set; }

    /// <summary>Categories.</summary>
    public List<CodeableConcept>? Category { get; set; }

    /// <summary>Code.</summary>
    public CodeableConcept? Code { get; set; }

    /// <summary>The patient.</summary>
    public ResourceReference? Subject { get; set; }

    /// <summary>The encounter.</summary>
    public ResourceReference? Encounter { get; set; }

    /// <summary>effectiveDateTime.</summary>
    public string? EffectiveDateTime { get; set; }

    /// <summary>effectivePeriod.</summary>
    public Period? EffectivePeriod { get; set; }

    /// <summary>valueString.</summary>
    public string? ValueString { get; set; }

    /// <summary>valueCodeableConcept.</summary>
    public CodeableConcept? ValueCodeableConcept { get; set; }

    /// <summary>valueQuantity.</summary>
    public Quantity? ValueQuantity { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<Identifier> Identifiers => Identifier ?? [];
}

/// <summary>R4 MessageHeader (first entry of a message Bundle).</summary>
public sealed class MessageHeader : Resource
{
    /// <summary>eventCoding.</summary>
    public Coding? EventCoding { get; set; }

    /// <summary>eventUri.</summary>
    public string? EventUri { get; set; }

    /// <summary>Source.</summary>
    public MessageSource? Source { get; set; }

    /// <summary>Focus resources.</summary>
    public List<ResourceReference>? Focus { get; set; }
}

/// <summary>R4 MessageHeader.source.</summary>
public sealed class MessageSource
{
    /// <summary>Name.</summary>
    public string? Name { get; set; }

    /// <summary>Endpoint.</summary>
    public string? Endpoint { get; set; }
}

/// <summary>R4 OperationOutcome.</summary>
public sealed class OperationOutcome : Resource
{
    /// <summary>Issues.</summary>
    public List<OperationOutcomeIssue>? Issue { get; set; }
}

/// <summary>R4 OperationOutcome.issue.</summary>
public sealed class OperationOutcomeIssue
{
    /// <summary>fatal | error | warning | information.</summary>
    public string? Severity { get; set; }

    /// <summary>Issue type code (structure, invalid, not-found, security...).</summary>
    public string? Code { get; set; }

    /// <summary>Details.</summary>
    public CodeableConcept? Details { get; set; }

    /// <summary>Diagnostics text (never PHI).</summary>
    public string? Diagnostics { get; set; }

    /// <summary>FHIRPath expressions of where.</summary>
    public List<string>? Expression { get; set; }

    /// <summary>Deprecated XPath-ish locations.</summary>
    public List<string>? Location { get; set; }
}

#pragma warning restore CA1002
#pragma warning restore CA2227
