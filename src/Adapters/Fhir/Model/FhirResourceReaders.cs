using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hub.Adapters.Fhir.Model;

/// <summary>
/// The fast path of <see cref="FhirResourceConverter"/>: hand-written readers of the resources an ED Bundle is made
/// of (Bundle, Patient, Encounter, Condition, MedicationAdministration, MedicationStatement, Medication, Observation,
/// Consent) and their parts. They accept and reject exactly what the source-generated metadata accepts and rejects
/// (case-sensitive camelCase names, unknown properties skipped, a repeated known property or a wrong JSON type
/// rejected), but say nothing about where: when they fail, the converter reads the resource again with the
/// source-generated metadata alone (<see cref="FhirReferenceJsonContext"/>), whose error carries the exact path and
/// line. Other resource types are read by their source-generated converter.
/// </summary>
internal static class FhirResourceReaders
{
    private const int BaseCount = 8;

    private static readonly FhirStringTable ResourceTypes = new(
        "Bundle", "Patient", "Encounter", "Location", "Condition", "MedicationAdministration", "MedicationStatement", "Medication",
        "Consent", "Observation", "MessageHeader", "OperationOutcome", "Practitioner", "Organization", "Procedure");

    private static readonly FhirStringTable BundleStrings = new(
        "transaction", "batch", "collection", "message", "document", "searchset", "history", "POST", "PUT", "GET", "DELETE",
        "Patient", "Encounter", "Condition", "MedicationAdministration", "MedicationStatement", "Medication", "Observation", "Consent",
        "finished", "in-progress", "completed", "final", "active", "male", "female", "unknown", "permit", "deny");

    private static JsonSerializerOptions Options => FhirJsonContext.Default.Options;

    /// <summary>Reads one resource (the reader on its start object), choosing the type from <c>resourceType</c>.</summary>
    public static Resource? ReadAny(ref Utf8JsonReader reader) =>
        FhirReferenceResourceConverter.StartResource(ref reader) ? Read(ref reader, FhirResourceConverter.PeekResourceType(reader)) : null;

    /// <summary>Reads a resource whose type index (see <see cref="FhirResourceConverter"/>) is known.</summary>
    public static Resource? Read(ref Utf8JsonReader reader, int known) => known switch
    {
        0 => ReadBundle(ref reader),
        1 => ReadPatient(ref reader),
        2 => ReadEncounter(ref reader),
        3 => Generated<Location>(ref reader),
        4 => ReadCondition(ref reader),
        5 => ReadAdministration(ref reader),
        6 => ReadStatement(ref reader),
        7 => ReadMedication(ref reader),
        8 => ReadConsent(ref reader),
        9 => ReadObservation(ref reader),
        10 => Generated<MessageHeader>(ref reader),
        11 => Generated<OperationOutcome>(ref reader),
        _ => Generated<OtherResource>(ref reader),
    };

    private static T? Generated<T>(ref Utf8JsonReader reader)
        where T : Resource =>
        ((JsonConverter<T>)Options.GetTypeInfo(typeof(T)).Converter).Read(ref reader, typeof(T), Options);

    private static FhirPropertyNames Names(Type type, params string[] specific) =>
        new(type, ["resourceType", "id", "meta", "implicitRules", "language", "text", "contained", "extension", .. specific]);

    private static void ReadBase(ref Utf8JsonReader reader, Resource resource, int p)
    {
        switch (p)
        {
            case 0: resource.ResourceType = FhirElementReader.String(ref reader, ResourceTypes); break;
            case 1: resource.Id = FhirElementReader.String(ref reader); break;
            case 2: resource.Meta = FhirElements.ReadMeta(ref reader); break;
            case 3: resource.ImplicitRules = FhirElementReader.String(ref reader); break;
            case 4: resource.Language = FhirElementReader.String(ref reader); break;
            case 5: resource.Text = FhirElements.ReadNarrative(ref reader); break;
            case 6: resource.Contained = FhirElementReader.List(ref reader, ReadAny); break;
            default: resource.Extension = FhirElementReader.List(ref reader, FhirElements.ReadExtension); break;
        }
    }

    /// <summary>Reads a resource (the reader on its start object): the base properties here, the others by index past them.</summary>
    private static T ReadResource<T>(ref Utf8JsonReader reader, T value, FhirPropertyNames names, FhirElementReader.PropertyReader<T> readSpecific)
        where T : Resource
    {
        ulong seen = 0;
        int p;
        while ((p = names.Next(ref reader, ref seen)) >= 0)
        {
            if (p < BaseCount)
            {
                ReadBase(ref reader, value, p);
            }
            else
            {
                readSpecific(ref reader, value, p - BaseCount);
            }
        }

        return value;
    }

    private static string? Code(ref Utf8JsonReader reader) => FhirElementReader.String(ref reader, BundleStrings);

    // ---- Bundle ----
    private static readonly FhirPropertyNames BundleNames = Names(typeof(Bundle), "identifier", "type", "timestamp", "total", "entry");

    private static Bundle ReadBundle(ref Utf8JsonReader reader) => ReadResource(ref reader, new Bundle(), BundleNames, BundleProperty);

    private static readonly FhirElementReader.PropertyReader<Bundle> BundleProperty = static (ref Utf8JsonReader reader, Bundle value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElements.ReadIdentifier(ref reader); break;
            case 1: value.Type = Code(ref reader); break;
            case 2: value.Timestamp = FhirElementReader.String(ref reader); break;
            case 3: value.Total = FhirElementReader.Int32(ref reader); break;
            default: value.Entry = FhirElementReader.List(ref reader, ReadEntry); break;
        }
    };

    private static readonly FhirPropertyNames EntryNames = new(typeof(BundleEntry), "fullUrl", "resource", "request", "response");

    private static BundleEntry? ReadEntry(ref Utf8JsonReader reader) => FhirElementReader.StartObject<BundleEntry>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new BundleEntry(), EntryNames, EntryProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<BundleEntry> EntryProperty = static (ref Utf8JsonReader reader, BundleEntry value, int p) =>
    {
        switch (p)
        {
            case 0: value.FullUrl = FhirElementReader.String(ref reader); break;
            case 1: value.Resource = ReadAny(ref reader); break;
            case 2: value.Request = FhirElements.ReadRequest(ref reader); break;
            default: value.Response = ReadResponse(ref reader); break;
        }
    };

    private static readonly FhirPropertyNames ResponseNames = new(typeof(BundleEntryResponse), "status", "location", "outcome");

    private static BundleEntryResponse? ReadResponse(ref Utf8JsonReader reader) => FhirElementReader.StartObject<BundleEntryResponse>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new BundleEntryResponse(), ResponseNames, ResponseProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<BundleEntryResponse> ResponseProperty = static (ref Utf8JsonReader reader, BundleEntryResponse value, int p) =>
    {
        switch (p)
        {
            case 0: value.Status = FhirElementReader.String(ref reader); break;
            case 1: value.Location = FhirElementReader.String(ref reader); break;
            default: value.Outcome = ReadAny(ref reader); break;
        }
    };

    // ---- Patient ----
    private static readonly FhirPropertyNames PatientNames = Names(
        typeof(Patient), "identifier", "active", "name", "telecom", "gender", "birthDate", "_birthDate", "deceasedBoolean", "deceasedDateTime", "address");

    private static Patient ReadPatient(ref Utf8JsonReader reader) => ReadResource(ref reader, new Patient(), PatientNames, PatientProperty);

    private static readonly FhirElementReader.PropertyReader<Patient> PatientProperty = static (ref Utf8JsonReader reader, Patient value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Active = FhirElementReader.Boolean(ref reader); break;
            case 2: value.Name = FhirElementReader.List(ref reader, FhirElements.ReadName); break;
            case 3: value.Telecom = FhirElementReader.List(ref reader, FhirElements.ReadContact); break;
            case 4: value.Gender = Code(ref reader); break;
            case 5: value.BirthDate = FhirElementReader.String(ref reader); break;
            case 6: value.BirthDateElement = FhirElements.ReadPrimitive(ref reader); break;
            case 7: value.DeceasedBoolean = FhirElementReader.Boolean(ref reader); break;
            case 8: value.DeceasedDateTime = FhirElementReader.String(ref reader); break;
            default: value.Address = FhirElementReader.List(ref reader, FhirElements.ReadAddress); break;
        }
    };

    // ---- Encounter ----
    private static readonly FhirPropertyNames EncounterNames = Names(
        typeof(Encounter), "identifier", "status", "class", "type", "serviceType", "priority", "subject", "period", "reasonCode",
        "reasonReference", "diagnosis", "hospitalization", "location", "serviceProvider");

    private static Encounter ReadEncounter(ref Utf8JsonReader reader) => ReadResource(ref reader, new Encounter(), EncounterNames, EncounterProperty);

    private static readonly FhirElementReader.PropertyReader<Encounter> EncounterProperty = static (ref Utf8JsonReader reader, Encounter value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Status = Code(ref reader); break;
            case 2: value.Class = FhirElements.ReadCoding(ref reader); break;
            case 3: value.Type = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 4: value.ServiceType = FhirElements.ReadConcept(ref reader); break;
            case 5: value.Priority = FhirElements.ReadConcept(ref reader); break;
            case 6: value.Subject = FhirElements.ReadReference(ref reader); break;
            case 7: value.Period = FhirElements.ReadPeriod(ref reader); break;
            case 8: value.ReasonCode = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 9: value.ReasonReference = FhirElementReader.List(ref reader, FhirElements.ReadReference); break;
            case 10: value.Diagnosis = FhirElementReader.List(ref reader, FhirElements.ReadDiagnosis); break;
            case 11: value.Hospitalization = FhirElements.ReadHospitalization(ref reader); break;
            case 12: value.Location = FhirElementReader.List(ref reader, ReadEncounterLocation); break;
            default: value.ServiceProvider = FhirElements.ReadReference(ref reader); break;
        }
    };

    private static readonly FhirPropertyNames EncounterLocationNames = new(typeof(EncounterLocation), "location", "status");

    private static EncounterLocation? ReadEncounterLocation(ref Utf8JsonReader reader) => FhirElementReader.StartObject<EncounterLocation>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new EncounterLocation(), EncounterLocationNames, EncounterLocationProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<EncounterLocation> EncounterLocationProperty = static (ref Utf8JsonReader reader, EncounterLocation value, int p) =>
    {
        switch (p)
        {
            case 0: value.Location = FhirElements.ReadReference(ref reader); break;
            default: value.Status = FhirElementReader.String(ref reader); break;
        }
    };

    // ---- Condition ----
    private static readonly FhirPropertyNames ConditionNames = Names(
        typeof(Condition), "identifier", "clinicalStatus", "verificationStatus", "category", "code", "subject", "encounter",
        "onsetDateTime", "onsetPeriod", "recordedDate");

    private static Condition ReadCondition(ref Utf8JsonReader reader) => ReadResource(ref reader, new Condition(), ConditionNames, ConditionProperty);

    private static readonly FhirElementReader.PropertyReader<Condition> ConditionProperty = static (ref Utf8JsonReader reader, Condition value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.ClinicalStatus = FhirElements.ReadConcept(ref reader); break;
            case 2: value.VerificationStatus = FhirElements.ReadConcept(ref reader); break;
            case 3: value.Category = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 4: value.Code = FhirElements.ReadConcept(ref reader); break;
            case 5: value.Subject = FhirElements.ReadReference(ref reader); break;
            case 6: value.Encounter = FhirElements.ReadReference(ref reader); break;
            case 7: value.OnsetDateTime = FhirElementReader.String(ref reader); break;
            case 8: value.OnsetPeriod = FhirElements.ReadPeriod(ref reader); break;
            default: value.RecordedDate = FhirElementReader.String(ref reader); break;
        }
    };

    // ---- MedicationAdministration ----
    private static readonly FhirPropertyNames AdministrationNames = Names(
        typeof(MedicationAdministration), "identifier", "status", "medicationCodeableConcept", "medicationReference", "subject", "context",
        "effectiveDateTime", "effectivePeriod", "performer", "dosage");

    private static MedicationAdministration ReadAdministration(ref Utf8JsonReader reader) => ReadResource(ref reader, new MedicationAdministration(), AdministrationNames, AdministrationProperty);

    private static readonly FhirElementReader.PropertyReader<MedicationAdministration> AdministrationProperty = static (ref Utf8JsonReader reader, MedicationAdministration value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Status = Code(ref reader); break;
            case 2: value.MedicationCodeableConcept = FhirElements.ReadConcept(ref reader); break;
            case 3: value.MedicationReference = FhirElements.ReadReference(ref reader); break;
            case 4: value.Subject = FhirElements.ReadReference(ref reader); break;
            case 5: value.Context = FhirElements.ReadReference(ref reader); break;
            case 6: value.EffectiveDateTime = FhirElementReader.String(ref reader); break;
            case 7: value.EffectivePeriod = FhirElements.ReadPeriod(ref reader); break;
            case 8: value.Performer = FhirElementReader.List(ref reader, ReadPerformer); break;
            default: value.Dosage = FhirElements.ReadDosage(ref reader); break;
        }
    };

    private static readonly FhirPropertyNames PerformerNames = new(typeof(MedicationAdministrationPerformer), "function", "actor");

    private static MedicationAdministrationPerformer? ReadPerformer(ref Utf8JsonReader reader) => FhirElementReader.StartObject<MedicationAdministrationPerformer>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new MedicationAdministrationPerformer(), PerformerNames, PerformerProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<MedicationAdministrationPerformer> PerformerProperty = static (ref Utf8JsonReader reader, MedicationAdministrationPerformer value, int p) =>
    {
        switch (p)
        {
            case 0: value.Function = FhirElements.ReadConcept(ref reader); break;
            default: value.Actor = FhirElements.ReadReference(ref reader); break;
        }
    };

    // ---- MedicationStatement ----
    private static readonly FhirPropertyNames StatementNames = Names(
        typeof(MedicationStatement), "identifier", "status", "medicationCodeableConcept", "medicationReference", "subject", "context",
        "effectiveDateTime", "effectivePeriod");

    private static MedicationStatement ReadStatement(ref Utf8JsonReader reader) => ReadResource(ref reader, new MedicationStatement(), StatementNames, StatementProperty);

    private static readonly FhirElementReader.PropertyReader<MedicationStatement> StatementProperty = static (ref Utf8JsonReader reader, MedicationStatement value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Status = Code(ref reader); break;
            case 2: value.MedicationCodeableConcept = FhirElements.ReadConcept(ref reader); break;
            case 3: value.MedicationReference = FhirElements.ReadReference(ref reader); break;
            case 4: value.Subject = FhirElements.ReadReference(ref reader); break;
            case 5: value.Context = FhirElements.ReadReference(ref reader); break;
            case 6: value.EffectiveDateTime = FhirElementReader.String(ref reader); break;
            default: value.EffectivePeriod = FhirElements.ReadPeriod(ref reader); break;
        }
    };

    // ---- Medication ----
    private static readonly FhirPropertyNames MedicationNames = Names(typeof(Medication), "identifier", "code", "status");

    private static Medication ReadMedication(ref Utf8JsonReader reader) => ReadResource(ref reader, new Medication(), MedicationNames, MedicationProperty);

    private static readonly FhirElementReader.PropertyReader<Medication> MedicationProperty = static (ref Utf8JsonReader reader, Medication value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Code = FhirElements.ReadConcept(ref reader); break;
            default: value.Status = Code(ref reader); break;
        }
    };

    // ---- Observation ----
    private static readonly FhirPropertyNames ObservationNames = Names(
        typeof(Observation), "identifier", "status", "category", "code", "subject", "encounter", "effectiveDateTime", "effectivePeriod",
        "valueString", "valueCodeableConcept", "valueQuantity");

    private static Observation ReadObservation(ref Utf8JsonReader reader) => ReadResource(ref reader, new Observation(), ObservationNames, ObservationProperty);

    private static readonly FhirElementReader.PropertyReader<Observation> ObservationProperty = static (ref Utf8JsonReader reader, Observation value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Status = Code(ref reader); break;
            case 2: value.Category = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 3: value.Code = FhirElements.ReadConcept(ref reader); break;
            case 4: value.Subject = FhirElements.ReadReference(ref reader); break;
            case 5: value.Encounter = FhirElements.ReadReference(ref reader); break;
            case 6: value.EffectiveDateTime = FhirElementReader.String(ref reader); break;
            case 7: value.EffectivePeriod = FhirElements.ReadPeriod(ref reader); break;
            case 8: value.ValueString = FhirElementReader.String(ref reader); break;
            case 9: value.ValueCodeableConcept = FhirElements.ReadConcept(ref reader); break;
            default: value.ValueQuantity = FhirElements.ReadQuantity(ref reader); break;
        }
    };

    // ---- Consent ----
    private static readonly FhirPropertyNames ConsentNames = Names(
        typeof(Consent), "identifier", "status", "scope", "category", "patient", "dateTime", "provision");

    private static Consent ReadConsent(ref Utf8JsonReader reader) => ReadResource(ref reader, new Consent(), ConsentNames, ConsentProperty);

    private static readonly FhirElementReader.PropertyReader<Consent> ConsentProperty = static (ref Utf8JsonReader reader, Consent value, int p) =>
    {
        switch (p)
        {
            case 0: value.Identifier = FhirElementReader.List(ref reader, FhirElements.ReadIdentifier); break;
            case 1: value.Status = Code(ref reader); break;
            case 2: value.Scope = FhirElements.ReadConcept(ref reader); break;
            case 3: value.Category = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 4: value.Patient = FhirElements.ReadReference(ref reader); break;
            case 5: value.DateTime = FhirElementReader.String(ref reader); break;
            default: value.Provision = ReadProvision(ref reader); break;
        }
    };

    private static readonly FhirPropertyNames ProvisionNames = new(
        typeof(ConsentProvision), "type", "period", "actor", "action", "securityLabel", "purpose", "class", "code", "dataPeriod", "provision");

    private static ConsentProvision? ReadProvision(ref Utf8JsonReader reader) => FhirElementReader.StartObject<ConsentProvision>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new ConsentProvision(), ProvisionNames, ProvisionProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<ConsentProvision> ProvisionProperty = static (ref Utf8JsonReader reader, ConsentProvision value, int p) =>
    {
        switch (p)
        {
            case 0: value.Type = Code(ref reader); break;
            case 1: value.Period = FhirElements.ReadPeriod(ref reader); break;
            case 2: value.Actor = FhirElementReader.List(ref reader, ReadConsentActor); break;
            case 3: value.Action = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 4: value.SecurityLabel = FhirElementReader.List(ref reader, FhirElements.ReadCoding); break;
            case 5: value.Purpose = FhirElementReader.List(ref reader, FhirElements.ReadCoding); break;
            case 6: value.Class = FhirElementReader.List(ref reader, FhirElements.ReadCoding); break;
            case 7: value.Code = FhirElementReader.List(ref reader, FhirElements.ReadConcept); break;
            case 8: value.DataPeriod = FhirElements.ReadPeriod(ref reader); break;
            default: value.Provision = FhirElementReader.List(ref reader, ReadProvision); break;
        }
    };

    private static readonly FhirPropertyNames ConsentActorNames = new(typeof(ConsentActor), "role", "reference");

    private static ConsentActor? ReadConsentActor(ref Utf8JsonReader reader) => FhirElementReader.StartObject<ConsentActor>(ref reader)
        ? FhirElementReader.ReadProperties(ref reader, new ConsentActor(), ConsentActorNames, ConsentActorProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<ConsentActor> ConsentActorProperty = static (ref Utf8JsonReader reader, ConsentActor value, int p) =>
    {
        switch (p)
        {
            case 0: value.Role = FhirElements.ReadConcept(ref reader); break;
            default: value.Reference = FhirElements.ReadReference(ref reader); break;
        }
    };
}
