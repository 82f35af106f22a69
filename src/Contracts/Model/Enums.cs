using System.Text.Json.Serialization;

namespace Hub.Contracts.Model;

/// <summary>The kind of source system a record came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceKind>))]
public enum SourceKind
{
    /// <summary>EMS electronic patient care report (NEMSIS v3.5 XML).</summary>
    Ems,

    /// <summary>Emergency-department encounter (FHIR R4).</summary>
    EmergencyDepartment,

    /// <summary>Police or 911 computer-aided-dispatch call for service (CSV).</summary>
    Police,
}

/// <summary>How precisely an event's place is known. Ordered from least to most precise.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LocationPrecision>))]
public enum LocationPrecision
{
    /// <summary>No usable location.</summary>
    Unknown,

    /// <summary>Only the state is known.</summary>
    State,

    /// <summary>Only the county (FIPS) is known.</summary>
    County,

    /// <summary>Only the ZIP code is known.</summary>
    Zip,

    /// <summary>Only the municipality (city or town) is known.</summary>
    Municipality,

    /// <summary>The census tract is known.</summary>
    CensusTract,

    /// <summary>A block ("100 BLOCK OF MAIN ST"), as many police exports publish.</summary>
    Block,

    /// <summary>An intersection of two streets.</summary>
    Intersection,

    /// <summary>A full street address.</summary>
    Address,

    /// <summary>A GPS point (latitude and longitude).</summary>
    Point,
}

/// <summary>The drug class an event is attributed to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubstanceClass>))]
public enum SubstanceClass
{
    /// <summary>Not known (police calls, chief-complaint-only matches without a drug term).</summary>
    Unknown,

    /// <summary>Opioids (heroin, fentanyl, other opioids, methadone, opium).</summary>
    Opioid,

    /// <summary>Stimulants (cocaine, methamphetamine and other psychostimulants).</summary>
    Stimulant,

    /// <summary>Any other or unspecified drug (all-drug definitions).</summary>
    OtherDrug,
}

/// <summary>The patient's response to a medication, as NEMSIS eMedications.07 records it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MedicationResponse>))]
public enum MedicationResponse
{
    /// <summary>Not recorded.</summary>
    Unknown,

    /// <summary>Improved (9916001).</summary>
    Improved,

    /// <summary>Unchanged (9916003).</summary>
    Unchanged,

    /// <summary>Worse (9916005).</summary>
    Worse,
}

/// <summary>What happened to the patient at the end of the encounter, normalized across sources.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DispositionKind>))]
public enum DispositionKind
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>Transported to a facility.</summary>
    Transported,

    /// <summary>The patient refused transport (NEMSIS 4230009): a priority for leave-behind and outreach.</summary>
    RefusedTransport,

    /// <summary>No transport for another reason (NEMSIS 4230013).</summary>
    NoTransport,

    /// <summary>Treated and released or discharged home.</summary>
    Discharged,

    /// <summary>Admitted to hospital.</summary>
    Admitted,

    /// <summary>Left against medical advice or before being seen.</summary>
    LeftAgainstAdvice,

    /// <summary>Dead at scene or died during the encounter.</summary>
    Died,

    /// <summary>Another disposition, kept as read in <see cref="ClinicalFacts.DispositionText"/>.</summary>
    Other,
}

/// <summary>The kind of consent or privacy signal found on a source record.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentSignalKind>))]
public enum ConsentSignalKind
{
    /// <summary>A FHIR Consent with a permit provision.</summary>
    ConsentPermit,

    /// <summary>A FHIR Consent with a deny provision.</summary>
    ConsentDeny,

    /// <summary>The patient's refusal to share was documented on the record.</summary>
    RefusalDocumented,

    /// <summary>The person is on the hub's opt-out registry.</summary>
    OptOut,
}

/// <summary>How the hub classified one source record.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordOutcomeKind>))]
public enum RecordOutcomeKind
{
    /// <summary>An overdose event under the feed's case definition.</summary>
    Overdose,

    /// <summary>Read correctly, but not an overdose (counted, not kept).</summary>
    NotOverdose,

    /// <summary>Could not be read; a reject with its reason and location is kept.</summary>
    Rejected,
}
