using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hub.Adapters.Fhir.Model;

/// <summary>
/// Hand-written readers and writers of the small data types that make up most objects of an ED Bundle (Coding,
/// CodeableConcept, Reference, Identifier, Period, Meta, Extension, HumanName...). They keep the serializer's
/// contract exactly: camelCase names, case-sensitive, unknown properties skipped, a repeated known property rejected,
/// wrong JSON types rejected with the serializer's message and the full path (see <see cref="FhirElementException"/>),
/// nulls written as absent. They read straight from the reader: no per-property metadata lookups, no duplicate-tracking
/// allocation (a bit mask), exact-size lists and shared instances of common code-system strings.
/// The resources themselves stay source-generated.
/// </summary>
internal static class FhirElements
{
    /// <summary>Code systems and codes that recur in ED Bundles.</summary>
    internal static readonly FhirStringTable Common = new(
        FhirCaseDefinitions.SnomedSystem,
        FhirCaseDefinitions.Icd10CmSystem,
        FhirCaseDefinitions.RxNormSystem,
        "http://loinc.org",
        "http://unitsofmeasure.org",
        "http://hl7.org/fhir/sid/us-ssn",
        "http://hl7.org/fhir/sid/us-npi",
        "urn:ietf:bcp:47",
        "http://terminology.hl7.org/CodeSystem/v2-0203",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
        "http://terminology.hl7.org/CodeSystem/v3-ActReason",
        "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
        "http://terminology.hl7.org/CodeSystem/condition-category",
        "http://terminology.hl7.org/CodeSystem/condition-clinical",
        "http://terminology.hl7.org/CodeSystem/condition-ver-status",
        "http://terminology.hl7.org/CodeSystem/discharge-disposition",
        "http://terminology.hl7.org/CodeSystem/observation-category",
        "http://terminology.hl7.org/CodeSystem/consentscope",
        "http://terminology.hl7.org/CodeSystem/consentcategorycodes",
        "http://terminology.hl7.org/CodeSystem/diagnosis-role",
        "http://terminology.hl7.org/CodeSystem/admit-source",
        "EMER",
        "AMB",
        "IMP",
        "MR",
        "SS",
        "VN",
        "R",
        "N",
        "V",
        "ETH",
        "SUD",
        "42CFRPart2",
        "NORDSCLCD",
        "PUBHLTH",
        "home",
        "active",
        "resolved",
        "confirmed",
        "encounter-diagnosis",
        "problem-list-item",
        "8661-1",
        "50849002",
        "4525004",
        "7242",
        "mg");

    // ---- Coding ----
    private static readonly FhirPropertyNames CodingNames = new(typeof(Coding), "system", "version", "code", "display", "userSelected");

    internal static Coding? ReadCoding(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Coding>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Coding(), CodingNames, CodingProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Coding> CodingProperty = static (ref Utf8JsonReader reader, Coding value, int p) =>
    {
        switch (p)
        {
            case 0: value.System = FhirElementReader.String(ref reader, Common); break;
            case 1: value.Version = FhirElementReader.String(ref reader); break;
            case 2: value.Code = FhirElementReader.String(ref reader, Common); break;
            case 3: value.Display = FhirElementReader.String(ref reader); break;
            default: value.UserSelected = FhirElementReader.Boolean(ref reader); break;
        }
    };

    internal static void WriteCoding(Utf8JsonWriter writer, Coding value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "version", value.Version);
        FhirElementWriter.String(writer, "code", value.Code);
        FhirElementWriter.String(writer, "display", value.Display);
        FhirElementWriter.Boolean(writer, "userSelected", value.UserSelected);
        writer.WriteEndObject();
    }

    // ---- CodeableConcept ----
    private static readonly FhirPropertyNames ConceptNames = new(typeof(CodeableConcept), "coding", "text");

    internal static CodeableConcept? ReadConcept(ref Utf8JsonReader reader) => FhirElementReader.StartObject<CodeableConcept>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new CodeableConcept(), ConceptNames, ConceptProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<CodeableConcept> ConceptProperty = static (ref Utf8JsonReader reader, CodeableConcept value, int p) =>
    {
        switch (p)
        {
            case 0: value.Coding = FhirElementReader.List(ref reader, ReadCoding); break;
            default: value.Text = FhirElementReader.String(ref reader); break;
        }
    };

    internal static void WriteConcept(Utf8JsonWriter writer, CodeableConcept value)
    {
        writer.WriteStartObject();
        FhirElementWriter.List(writer, "coding", value.Coding, WriteCoding);
        FhirElementWriter.String(writer, "text", value.Text);
        writer.WriteEndObject();
    }

    // ---- Period ----
    private static readonly FhirPropertyNames PeriodNames = new(typeof(Period), "start", "end");

    internal static Period? ReadPeriod(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Period>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Period(), PeriodNames, PeriodProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Period> PeriodProperty = static (ref Utf8JsonReader reader, Period value, int p) =>
    {
        switch (p)
        {
            case 0: value.Start = FhirElementReader.String(ref reader); break;
            default: value.End = FhirElementReader.String(ref reader); break;
        }
    };

    internal static void WritePeriod(Utf8JsonWriter writer, Period value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "start", value.Start);
        FhirElementWriter.String(writer, "end", value.End);
        writer.WriteEndObject();
    }

    // ---- Identifier ----
    private static readonly FhirPropertyNames IdentifierNames = new(typeof(Identifier), "use", "type", "system", "value", "period");

    internal static Identifier? ReadIdentifier(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Identifier>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Identifier(), IdentifierNames, IdentifierProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Identifier> IdentifierProperty = static (ref Utf8JsonReader reader, Identifier value, int p) =>
    {
        switch (p)
        {
            case 0: value.Use = FhirElementReader.String(ref reader); break;
            case 1: value.Type = ReadConcept(ref reader); break;
            case 2: value.System = FhirElementReader.String(ref reader, Common); break;
            case 3: value.Value = FhirElementReader.String(ref reader); break;
            default: value.Period = ReadPeriod(ref reader); break;
        }
    };

    internal static void WriteIdentifier(Utf8JsonWriter writer, Identifier value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "use", value.Use);
        FhirElementWriter.Object(writer, "type", value.Type, WriteConcept);
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "value", value.Value);
        FhirElementWriter.Object(writer, "period", value.Period, WritePeriod);
        writer.WriteEndObject();
    }

    // ---- Reference ----
    private static readonly FhirPropertyNames ReferenceNames = new(typeof(ResourceReference), "reference", "type", "identifier", "display");

    internal static ResourceReference? ReadReference(ref Utf8JsonReader reader) => FhirElementReader.StartObject<ResourceReference>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new ResourceReference(), ReferenceNames, ReferenceProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<ResourceReference> ReferenceProperty = static (ref Utf8JsonReader reader, ResourceReference value, int p) =>
    {
        switch (p)
        {
            case 0: value.Reference = FhirElementReader.String(ref reader); break;
            case 1: value.Type = FhirElementReader.String(ref reader); break;
            case 2: value.Identifier = ReadIdentifier(ref reader); break;
            default: value.Display = FhirElementReader.String(ref reader); break;
        }
    };

    internal static void WriteReference(Utf8JsonWriter writer, ResourceReference value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "reference", value.Reference);
        FhirElementWriter.String(writer, "type", value.Type);
        FhirElementWriter.Object(writer, "identifier", value.Identifier, WriteIdentifier);
        FhirElementWriter.String(writer, "display", value.Display);
        writer.WriteEndObject();
    }

    // ---- HumanName ----
    private static readonly FhirPropertyNames NameNames = new(typeof(HumanName), "use", "text", "family", "given", "prefix", "suffix", "period");

    internal static HumanName? ReadName(ref Utf8JsonReader reader) => FhirElementReader.StartObject<HumanName>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new HumanName(), NameNames, NameProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<HumanName> NameProperty = static (ref Utf8JsonReader reader, HumanName value, int p) =>
    {
        switch (p)
        {
            case 0: value.Use = FhirElementReader.String(ref reader); break;
            case 1: value.Text = FhirElementReader.String(ref reader); break;
            case 2: value.Family = FhirElementReader.String(ref reader); break;
            case 3: value.Given = FhirElementReader.StringList(ref reader); break;
            case 4: value.Prefix = FhirElementReader.StringList(ref reader); break;
            case 5: value.Suffix = FhirElementReader.StringList(ref reader); break;
            default: value.Period = ReadPeriod(ref reader); break;
        }
    };

    internal static void WriteName(Utf8JsonWriter writer, HumanName value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "use", value.Use);
        FhirElementWriter.String(writer, "text", value.Text);
        FhirElementWriter.String(writer, "family", value.Family);
        FhirElementWriter.Strings(writer, "given", value.Given);
        FhirElementWriter.Strings(writer, "prefix", value.Prefix);
        FhirElementWriter.Strings(writer, "suffix", value.Suffix);
        FhirElementWriter.Object(writer, "period", value.Period, WritePeriod);
        writer.WriteEndObject();
    }

    // ---- Address ----
    private static readonly FhirPropertyNames AddressNames = new(typeof(Address), "use", "type", "text", "line", "city", "district", "state", "postalCode", "country", "extension", "period");

    internal static Address? ReadAddress(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Address>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Address(), AddressNames, AddressProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Address> AddressProperty = static (ref Utf8JsonReader reader, Address value, int p) =>
    {
        switch (p)
        {
            case 0: value.Use = FhirElementReader.String(ref reader); break;
            case 1: value.Type = FhirElementReader.String(ref reader); break;
            case 2: value.Text = FhirElementReader.String(ref reader); break;
            case 3: value.Line = FhirElementReader.StringList(ref reader); break;
            case 4: value.City = FhirElementReader.String(ref reader); break;
            case 5: value.District = FhirElementReader.String(ref reader); break;
            case 6: value.State = FhirElementReader.String(ref reader); break;
            case 7: value.PostalCode = FhirElementReader.String(ref reader); break;
            case 8: value.Country = FhirElementReader.String(ref reader); break;
            case 9: value.Extension = FhirElementReader.List(ref reader, ReadExtension); break;
            default: value.Period = ReadPeriod(ref reader); break;
        }
    };

    internal static void WriteAddress(Utf8JsonWriter writer, Address value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "use", value.Use);
        FhirElementWriter.String(writer, "type", value.Type);
        FhirElementWriter.String(writer, "text", value.Text);
        FhirElementWriter.Strings(writer, "line", value.Line);
        FhirElementWriter.String(writer, "city", value.City);
        FhirElementWriter.String(writer, "district", value.District);
        FhirElementWriter.String(writer, "state", value.State);
        FhirElementWriter.String(writer, "postalCode", value.PostalCode);
        FhirElementWriter.String(writer, "country", value.Country);
        FhirElementWriter.List(writer, "extension", value.Extension, WriteExtension);
        FhirElementWriter.Object(writer, "period", value.Period, WritePeriod);
        writer.WriteEndObject();
    }

    // ---- ContactPoint ----
    private static readonly FhirPropertyNames ContactNames = new(typeof(ContactPoint), "system", "value", "use", "rank");

    internal static ContactPoint? ReadContact(ref Utf8JsonReader reader) => FhirElementReader.StartObject<ContactPoint>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new ContactPoint(), ContactNames, ContactProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<ContactPoint> ContactProperty = static (ref Utf8JsonReader reader, ContactPoint value, int p) =>
    {
        switch (p)
        {
            case 0: value.System = FhirElementReader.String(ref reader); break;
            case 1: value.Value = FhirElementReader.String(ref reader); break;
            case 2: value.Use = FhirElementReader.String(ref reader); break;
            default: value.Rank = FhirElementReader.Int32(ref reader); break;
        }
    };

    internal static void WriteContact(Utf8JsonWriter writer, ContactPoint value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "value", value.Value);
        FhirElementWriter.String(writer, "use", value.Use);
        FhirElementWriter.Number(writer, "rank", value.Rank);
        writer.WriteEndObject();
    }

    // ---- Extension ----
    private static readonly FhirPropertyNames ExtensionNames = new(
        typeof(Extension), "url", "valueString", "valueCode", "valueDecimal", "valueBoolean", "valueCoding", "valueCodeableConcept", "valueReference", "extension");

    internal static Extension? ReadExtension(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Extension>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Extension(), ExtensionNames, ExtensionProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Extension> ExtensionProperty = static (ref Utf8JsonReader reader, Extension value, int p) =>
    {
        switch (p)
        {
            case 0: value.Url = FhirElementReader.String(ref reader); break;
            case 1: value.ValueString = FhirElementReader.String(ref reader); break;
            case 2: value.ValueCode = FhirElementReader.String(ref reader, Common); break;
            case 3: value.ValueDecimal = FhirElementReader.Decimal(ref reader); break;
            case 4: value.ValueBoolean = FhirElementReader.Boolean(ref reader); break;
            case 5: value.ValueCoding = ReadCoding(ref reader); break;
            case 6: value.ValueCodeableConcept = ReadConcept(ref reader); break;
            case 7: value.ValueReference = ReadReference(ref reader); break;
            default: value.Extensions = FhirElementReader.List(ref reader, ReadExtension); break;
        }
    };

    internal static void WriteExtension(Utf8JsonWriter writer, Extension value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "url", value.Url);
        FhirElementWriter.String(writer, "valueString", value.ValueString);
        FhirElementWriter.String(writer, "valueCode", value.ValueCode);
        FhirElementWriter.Number(writer, "valueDecimal", value.ValueDecimal);
        FhirElementWriter.Boolean(writer, "valueBoolean", value.ValueBoolean);
        FhirElementWriter.Object(writer, "valueCoding", value.ValueCoding, WriteCoding);
        FhirElementWriter.Object(writer, "valueCodeableConcept", value.ValueCodeableConcept, WriteConcept);
        FhirElementWriter.Object(writer, "valueReference", value.ValueReference, WriteReference);
        FhirElementWriter.List(writer, "extension", value.Extensions, WriteExtension);
        writer.WriteEndObject();
    }

    // ---- PrimitiveElement ----
    private static readonly FhirPropertyNames PrimitiveNames = new(typeof(PrimitiveElement), "id", "extension");

    internal static PrimitiveElement? ReadPrimitive(ref Utf8JsonReader reader) => FhirElementReader.StartObject<PrimitiveElement>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new PrimitiveElement(), PrimitiveNames, PrimitiveProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<PrimitiveElement> PrimitiveProperty = static (ref Utf8JsonReader reader, PrimitiveElement value, int p) =>
    {
        switch (p)
        {
            case 0: value.Id = FhirElementReader.String(ref reader); break;
            default: value.Extension = FhirElementReader.List(ref reader, ReadExtension); break;
        }
    };

    internal static void WritePrimitive(Utf8JsonWriter writer, PrimitiveElement value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "id", value.Id);
        FhirElementWriter.List(writer, "extension", value.Extension, WriteExtension);
        writer.WriteEndObject();
    }

    // ---- Quantity ----
    private static readonly FhirPropertyNames QuantityNames = new(typeof(Quantity), "value", "comparator", "unit", "system", "code");

    internal static Quantity? ReadQuantity(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Quantity>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Quantity(), QuantityNames, QuantityProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Quantity> QuantityProperty = static (ref Utf8JsonReader reader, Quantity value, int p) =>
    {
        switch (p)
        {
            case 0: value.Value = FhirElementReader.Decimal(ref reader); break;
            case 1: value.Comparator = FhirElementReader.String(ref reader); break;
            case 2: value.Unit = FhirElementReader.String(ref reader, Common); break;
            case 3: value.System = FhirElementReader.String(ref reader, Common); break;
            default: value.Code = FhirElementReader.String(ref reader, Common); break;
        }
    };

    internal static void WriteQuantity(Utf8JsonWriter writer, Quantity value)
    {
        writer.WriteStartObject();
        FhirElementWriter.Number(writer, "value", value.Value);
        FhirElementWriter.String(writer, "comparator", value.Comparator);
        FhirElementWriter.String(writer, "unit", value.Unit);
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "code", value.Code);
        writer.WriteEndObject();
    }

    // ---- Meta ----
    private static readonly FhirPropertyNames MetaNames = new(typeof(Meta), "versionId", "lastUpdated", "profile", "security", "tag");

    internal static Meta? ReadMeta(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Meta>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Meta(), MetaNames, MetaProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Meta> MetaProperty = static (ref Utf8JsonReader reader, Meta value, int p) =>
    {
        switch (p)
        {
            case 0: value.VersionId = FhirElementReader.String(ref reader); break;
            case 1: value.LastUpdated = FhirElementReader.String(ref reader); break;
            case 2: value.Profile = FhirElementReader.StringList(ref reader); break;
            case 3: value.Security = FhirElementReader.List(ref reader, ReadCoding); break;
            default: value.Tag = FhirElementReader.List(ref reader, ReadCoding); break;
        }
    };

    internal static void WriteMeta(Utf8JsonWriter writer, Meta value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "versionId", value.VersionId);
        FhirElementWriter.String(writer, "lastUpdated", value.LastUpdated);
        FhirElementWriter.Strings(writer, "profile", value.Profile);
        FhirElementWriter.List(writer, "security", value.Security, WriteCoding);
        FhirElementWriter.List(writer, "tag", value.Tag, WriteCoding);
        writer.WriteEndObject();
    }

    // ---- Narrative ----
    private static readonly FhirPropertyNames NarrativeNames = new(typeof(Narrative), "status", "div");

    internal static Narrative? ReadNarrative(ref Utf8JsonReader reader) => FhirElementReader.StartObject<Narrative>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new Narrative(), NarrativeNames, NarrativeProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<Narrative> NarrativeProperty = static (ref Utf8JsonReader reader, Narrative value, int p) =>
    {
        switch (p)
        {
            case 0: value.Status = FhirElementReader.String(ref reader); break;
            default: value.Div = FhirElementReader.String(ref reader); break;
        }
    };

    internal static void WriteNarrative(Utf8JsonWriter writer, Narrative value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "status", value.Status);
        FhirElementWriter.String(writer, "div", value.Div);
        writer.WriteEndObject();
    }

    // ---- Bundle.entry.request ----
    private static readonly FhirPropertyNames RequestNames = new(typeof(BundleEntryRequest), "method", "url", "ifNoneExist");

    internal static BundleEntryRequest? ReadRequest(ref Utf8JsonReader reader) => FhirElementReader.StartObject<BundleEntryRequest>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new BundleEntryRequest(), RequestNames, RequestProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<BundleEntryRequest> RequestProperty = static (ref Utf8JsonReader reader, BundleEntryRequest value, int p) =>
    {
        switch (p)
        {
            case 0: value.Method = FhirElementReader.String(ref reader); break;
            case 1: value.Url = FhirElementReader.String(ref reader); break;
            default: value.IfNoneExist = FhirElementReader.String(ref reader); break;
        }
    };

    internal static void WriteRequest(Utf8JsonWriter writer, BundleEntryRequest value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "method", value.Method);
        FhirElementWriter.String(writer, "url", value.Url);
        FhirElementWriter.String(writer, "ifNoneExist", value.IfNoneExist);
        writer.WriteEndObject();
    }

    // ---- Encounter.diagnosis ----
    private static readonly FhirPropertyNames DiagnosisNames = new(typeof(EncounterDiagnosis), "condition", "use", "rank");

    internal static EncounterDiagnosis? ReadDiagnosis(ref Utf8JsonReader reader) => FhirElementReader.StartObject<EncounterDiagnosis>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new EncounterDiagnosis(), DiagnosisNames, DiagnosisProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<EncounterDiagnosis> DiagnosisProperty = static (ref Utf8JsonReader reader, EncounterDiagnosis value, int p) =>
    {
        switch (p)
        {
            case 0: value.Condition = ReadReference(ref reader); break;
            case 1: value.Use = ReadConcept(ref reader); break;
            default: value.Rank = FhirElementReader.Int32(ref reader); break;
        }
    };

    internal static void WriteDiagnosis(Utf8JsonWriter writer, EncounterDiagnosis value)
    {
        writer.WriteStartObject();
        FhirElementWriter.Object(writer, "condition", value.Condition, WriteReference);
        FhirElementWriter.Object(writer, "use", value.Use, WriteConcept);
        FhirElementWriter.Number(writer, "rank", value.Rank);
        writer.WriteEndObject();
    }

    // ---- Encounter.hospitalization ----
    private static readonly FhirPropertyNames HospitalizationNames = new(typeof(EncounterHospitalization), "dischargeDisposition", "admitSource");

    internal static EncounterHospitalization? ReadHospitalization(ref Utf8JsonReader reader) => FhirElementReader.StartObject<EncounterHospitalization>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new EncounterHospitalization(), HospitalizationNames, HospitalizationProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<EncounterHospitalization> HospitalizationProperty = static (ref Utf8JsonReader reader, EncounterHospitalization value, int p) =>
    {
        switch (p)
        {
            case 0: value.DischargeDisposition = ReadConcept(ref reader); break;
            default: value.AdmitSource = ReadConcept(ref reader); break;
        }
    };

    internal static void WriteHospitalization(Utf8JsonWriter writer, EncounterHospitalization value)
    {
        writer.WriteStartObject();
        FhirElementWriter.Object(writer, "dischargeDisposition", value.DischargeDisposition, WriteConcept);
        FhirElementWriter.Object(writer, "admitSource", value.AdmitSource, WriteConcept);
        writer.WriteEndObject();
    }

    // ---- MedicationAdministration.dosage ----
    private static readonly FhirPropertyNames DosageNames = new(typeof(MedicationAdministrationDosage), "text", "route", "dose");

    internal static MedicationAdministrationDosage? ReadDosage(ref Utf8JsonReader reader) => FhirElementReader.StartObject<MedicationAdministrationDosage>(ref reader)
        ? FhirElementReader.ReadObject(ref reader, new MedicationAdministrationDosage(), DosageNames, DosageProperty)
        : null;

    private static readonly FhirElementReader.PropertyReader<MedicationAdministrationDosage> DosageProperty = static (ref Utf8JsonReader reader, MedicationAdministrationDosage value, int p) =>
    {
        switch (p)
        {
            case 0: value.Text = FhirElementReader.String(ref reader); break;
            case 1: value.Route = ReadConcept(ref reader); break;
            default: value.Dose = ReadQuantity(ref reader); break;
        }
    };

    internal static void WriteDosage(Utf8JsonWriter writer, MedicationAdministrationDosage value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "text", value.Text);
        FhirElementWriter.Object(writer, "route", value.Route, WriteConcept);
        FhirElementWriter.Object(writer, "dose", value.Dose, WriteQuantity);
        writer.WriteEndObject();
    }
}

/// <summary>Writers with the serializer's rules: null members are left out.</summary>
internal static class FhirElementWriter
{
    public static void String(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public static void Number(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    public static void Number(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    public static void Boolean(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
    }

    public static void Strings(Utf8JsonWriter writer, string name, List<string>? values) =>
        List(writer, name, values, static (w, value) => w.WriteStringValue(value));

    public static void Object<T>(Utf8JsonWriter writer, string name, T? value, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            write(writer, value);
        }
    }

    public static void List<T>(Utf8JsonWriter writer, string name, List<T>? values, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                write(writer, value);
            }
        }

        writer.WriteEndArray();
    }
}

/// <summary>Adapts one hand-written element reader/writer to the serializer.</summary>
internal abstract class FhirElementConverter<T>(FhirElementReader.ElementReader<T> read, Action<Utf8JsonWriter, T> write) : JsonConverter<T>
    where T : class
{
    public sealed override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => read(ref reader);

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        write(writer, value);
    }
}

#pragma warning disable SA1402, CA1812 // One-line adapters, created by the source-generated context.
internal sealed class CodingConverter() : FhirElementConverter<Coding>(FhirElements.ReadCoding, FhirElements.WriteCoding);

internal sealed class CodeableConceptConverter() : FhirElementConverter<CodeableConcept>(FhirElements.ReadConcept, FhirElements.WriteConcept);

internal sealed class PeriodConverter() : FhirElementConverter<Period>(FhirElements.ReadPeriod, FhirElements.WritePeriod);

internal sealed class IdentifierConverter() : FhirElementConverter<Identifier>(FhirElements.ReadIdentifier, FhirElements.WriteIdentifier);

internal sealed class ReferenceConverter() : FhirElementConverter<ResourceReference>(FhirElements.ReadReference, FhirElements.WriteReference);

internal sealed class HumanNameConverter() : FhirElementConverter<HumanName>(FhirElements.ReadName, FhirElements.WriteName);

internal sealed class AddressConverter() : FhirElementConverter<Address>(FhirElements.ReadAddress, FhirElements.WriteAddress);

internal sealed class ContactPointConverter() : FhirElementConverter<ContactPoint>(FhirElements.ReadContact, FhirElements.WriteContact);

internal sealed class ExtensionConverter() : FhirElementConverter<Extension>(FhirElements.ReadExtension, FhirElements.WriteExtension);

internal sealed class PrimitiveElementConverter() : FhirElementConverter<PrimitiveElement>(FhirElements.ReadPrimitive, FhirElements.WritePrimitive);

internal sealed class QuantityConverter() : FhirElementConverter<Quantity>(FhirElements.ReadQuantity, FhirElements.WriteQuantity);

internal sealed class MetaConverter() : FhirElementConverter<Meta>(FhirElements.ReadMeta, FhirElements.WriteMeta);

internal sealed class NarrativeConverter() : FhirElementConverter<Narrative>(FhirElements.ReadNarrative, FhirElements.WriteNarrative);

internal sealed class BundleEntryRequestConverter() : FhirElementConverter<BundleEntryRequest>(FhirElements.ReadRequest, FhirElements.WriteRequest);

internal sealed class EncounterDiagnosisConverter() : FhirElementConverter<EncounterDiagnosis>(FhirElements.ReadDiagnosis, FhirElements.WriteDiagnosis);

internal sealed class EncounterHospitalizationConverter() : FhirElementConverter<EncounterHospitalization>(FhirElements.ReadHospitalization, FhirElements.WriteHospitalization);

internal sealed class DosageConverter() : FhirElementConverter<MedicationAdministrationDosage>(FhirElements.ReadDosage, FhirElements.WriteDosage);
#pragma warning restore SA1402, CA1812
