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

    internal static Coding? ReadCoding(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Coding>(ref reader))
        {
            return null;
        }

        var value = new Coding();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = CodingNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.System = FhirElementReader.String(ref reader, Common); break;
                    case 1: value.Version = FhirElementReader.String(ref reader); break;
                    case 2: value.Code = FhirElementReader.String(ref reader, Common); break;
                    case 3: value.Display = FhirElementReader.String(ref reader); break;
                    default: value.UserSelected = FhirElementReader.Boolean(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(CodingNames[p]);
        }
    }

    internal static void WriteCoding(Utf8JsonWriter writer, Coding value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "version", value.Version);
        FhirElementWriter.String(writer, "code", value.Code);
        FhirElementWriter.String(writer, "display", value.Display);
        if (value.UserSelected is { } selected)
        {
            writer.WriteBoolean("userSelected", selected);
        }

        writer.WriteEndObject();
    }

    // ---- CodeableConcept ----
    private static readonly FhirPropertyNames ConceptNames = new(typeof(CodeableConcept), "coding", "text");

    internal static CodeableConcept? ReadConcept(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<CodeableConcept>(ref reader))
        {
            return null;
        }

        var value = new CodeableConcept();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = ConceptNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Coding = FhirElementReader.List(ref reader, ReadCoding); break;
                    default: value.Text = FhirElementReader.String(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(ConceptNames[p]);
        }
    }

    internal static void WriteConcept(Utf8JsonWriter writer, CodeableConcept value)
    {
        writer.WriteStartObject();
        FhirElementWriter.List(writer, "coding", value.Coding, WriteCoding);
        FhirElementWriter.String(writer, "text", value.Text);
        writer.WriteEndObject();
    }

    // ---- Period ----
    private static readonly FhirPropertyNames PeriodNames = new(typeof(Period), "start", "end");

    internal static Period? ReadPeriod(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Period>(ref reader))
        {
            return null;
        }

        var value = new Period();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = PeriodNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Start = FhirElementReader.String(ref reader); break;
                    default: value.End = FhirElementReader.String(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(PeriodNames[p]);
        }
    }

    internal static void WritePeriod(Utf8JsonWriter writer, Period value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "start", value.Start);
        FhirElementWriter.String(writer, "end", value.End);
        writer.WriteEndObject();
    }

    // ---- Identifier ----
    private static readonly FhirPropertyNames IdentifierNames = new(typeof(Identifier), "use", "type", "system", "value", "period");

    internal static Identifier? ReadIdentifier(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Identifier>(ref reader))
        {
            return null;
        }

        var value = new Identifier();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = IdentifierNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Use = FhirElementReader.String(ref reader); break;
                    case 1: value.Type = ReadConcept(ref reader); break;
                    case 2: value.System = FhirElementReader.String(ref reader, Common); break;
                    case 3: value.Value = FhirElementReader.String(ref reader); break;
                    default: value.Period = ReadPeriod(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(IdentifierNames[p]);
        }
    }

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

    internal static ResourceReference? ReadReference(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<ResourceReference>(ref reader))
        {
            return null;
        }

        var value = new ResourceReference();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = ReferenceNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Reference = FhirElementReader.String(ref reader); break;
                    case 1: value.Type = FhirElementReader.String(ref reader); break;
                    case 2: value.Identifier = ReadIdentifier(ref reader); break;
                    default: value.Display = FhirElementReader.String(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(ReferenceNames[p]);
        }
    }

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

    internal static HumanName? ReadName(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<HumanName>(ref reader))
        {
            return null;
        }

        var value = new HumanName();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = NameNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Use = FhirElementReader.String(ref reader); break;
                    case 1: value.Text = FhirElementReader.String(ref reader); break;
                    case 2: value.Family = FhirElementReader.String(ref reader); break;
                    case 3: value.Given = FhirElementReader.StringList(ref reader); break;
                    case 4: value.Prefix = FhirElementReader.StringList(ref reader); break;
                    case 5: value.Suffix = FhirElementReader.StringList(ref reader); break;
                    default: value.Period = ReadPeriod(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(NameNames[p]);
        }
    }

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

    internal static Address? ReadAddress(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Address>(ref reader))
        {
            return null;
        }

        var value = new Address();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = AddressNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
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
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(AddressNames[p]);
        }
    }

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

    internal static ContactPoint? ReadContact(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<ContactPoint>(ref reader))
        {
            return null;
        }

        var value = new ContactPoint();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = ContactNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.System = FhirElementReader.String(ref reader); break;
                    case 1: value.Value = FhirElementReader.String(ref reader); break;
                    case 2: value.Use = FhirElementReader.String(ref reader); break;
                    default: value.Rank = FhirElementReader.Int32(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(ContactNames[p]);
        }
    }

    internal static void WriteContact(Utf8JsonWriter writer, ContactPoint value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "value", value.Value);
        FhirElementWriter.String(writer, "use", value.Use);
        if (value.Rank is { } rank)
        {
            writer.WriteNumber("rank", rank);
        }

        writer.WriteEndObject();
    }

    // ---- Extension ----
    private static readonly FhirPropertyNames ExtensionNames = new(
        typeof(Extension), "url", "valueString", "valueCode", "valueDecimal", "valueBoolean", "valueCoding", "valueCodeableConcept", "valueReference", "extension");

    internal static Extension? ReadExtension(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Extension>(ref reader))
        {
            return null;
        }

        var value = new Extension();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = ExtensionNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
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
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(ExtensionNames[p]);
        }
    }

    internal static void WriteExtension(Utf8JsonWriter writer, Extension value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "url", value.Url);
        FhirElementWriter.String(writer, "valueString", value.ValueString);
        FhirElementWriter.String(writer, "valueCode", value.ValueCode);
        if (value.ValueDecimal is { } number)
        {
            writer.WriteNumber("valueDecimal", number);
        }

        if (value.ValueBoolean is { } flag)
        {
            writer.WriteBoolean("valueBoolean", flag);
        }

        FhirElementWriter.Object(writer, "valueCoding", value.ValueCoding, WriteCoding);
        FhirElementWriter.Object(writer, "valueCodeableConcept", value.ValueCodeableConcept, WriteConcept);
        FhirElementWriter.Object(writer, "valueReference", value.ValueReference, WriteReference);
        FhirElementWriter.List(writer, "extension", value.Extensions, WriteExtension);
        writer.WriteEndObject();
    }

    // ---- PrimitiveElement ----
    private static readonly FhirPropertyNames PrimitiveNames = new(typeof(PrimitiveElement), "id", "extension");

    internal static PrimitiveElement? ReadPrimitive(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<PrimitiveElement>(ref reader))
        {
            return null;
        }

        var value = new PrimitiveElement();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = PrimitiveNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Id = FhirElementReader.String(ref reader); break;
                    default: value.Extension = FhirElementReader.List(ref reader, ReadExtension); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(PrimitiveNames[p]);
        }
    }

    internal static void WritePrimitive(Utf8JsonWriter writer, PrimitiveElement value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "id", value.Id);
        FhirElementWriter.List(writer, "extension", value.Extension, WriteExtension);
        writer.WriteEndObject();
    }

    // ---- Quantity ----
    private static readonly FhirPropertyNames QuantityNames = new(typeof(Quantity), "value", "comparator", "unit", "system", "code");

    internal static Quantity? ReadQuantity(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Quantity>(ref reader))
        {
            return null;
        }

        var value = new Quantity();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = QuantityNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Value = FhirElementReader.Decimal(ref reader); break;
                    case 1: value.Comparator = FhirElementReader.String(ref reader); break;
                    case 2: value.Unit = FhirElementReader.String(ref reader, Common); break;
                    case 3: value.System = FhirElementReader.String(ref reader, Common); break;
                    default: value.Code = FhirElementReader.String(ref reader, Common); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(QuantityNames[p]);
        }
    }

    internal static void WriteQuantity(Utf8JsonWriter writer, Quantity value)
    {
        writer.WriteStartObject();
        if (value.Value is { } number)
        {
            writer.WriteNumber("value", number);
        }

        FhirElementWriter.String(writer, "comparator", value.Comparator);
        FhirElementWriter.String(writer, "unit", value.Unit);
        FhirElementWriter.String(writer, "system", value.System);
        FhirElementWriter.String(writer, "code", value.Code);
        writer.WriteEndObject();
    }

    // ---- Meta ----
    private static readonly FhirPropertyNames MetaNames = new(typeof(Meta), "versionId", "lastUpdated", "profile", "security", "tag");

    internal static Meta? ReadMeta(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Meta>(ref reader))
        {
            return null;
        }

        var value = new Meta();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = MetaNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.VersionId = FhirElementReader.String(ref reader); break;
                    case 1: value.LastUpdated = FhirElementReader.String(ref reader); break;
                    case 2: value.Profile = FhirElementReader.StringList(ref reader); break;
                    case 3: value.Security = FhirElementReader.List(ref reader, ReadCoding); break;
                    default: value.Tag = FhirElementReader.List(ref reader, ReadCoding); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(MetaNames[p]);
        }
    }

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

    internal static Narrative? ReadNarrative(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<Narrative>(ref reader))
        {
            return null;
        }

        var value = new Narrative();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = NarrativeNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Status = FhirElementReader.String(ref reader); break;
                    default: value.Div = FhirElementReader.String(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(NarrativeNames[p]);
        }
    }

    internal static void WriteNarrative(Utf8JsonWriter writer, Narrative value)
    {
        writer.WriteStartObject();
        FhirElementWriter.String(writer, "status", value.Status);
        FhirElementWriter.String(writer, "div", value.Div);
        writer.WriteEndObject();
    }

    // ---- Bundle.entry.request ----
    private static readonly FhirPropertyNames RequestNames = new(typeof(BundleEntryRequest), "method", "url", "ifNoneExist");

    internal static BundleEntryRequest? ReadRequest(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<BundleEntryRequest>(ref reader))
        {
            return null;
        }

        var value = new BundleEntryRequest();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = RequestNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Method = FhirElementReader.String(ref reader); break;
                    case 1: value.Url = FhirElementReader.String(ref reader); break;
                    default: value.IfNoneExist = FhirElementReader.String(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(RequestNames[p]);
        }
    }

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

    internal static EncounterDiagnosis? ReadDiagnosis(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<EncounterDiagnosis>(ref reader))
        {
            return null;
        }

        var value = new EncounterDiagnosis();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = DiagnosisNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Condition = ReadReference(ref reader); break;
                    case 1: value.Use = ReadConcept(ref reader); break;
                    default: value.Rank = FhirElementReader.Int32(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(DiagnosisNames[p]);
        }
    }

    internal static void WriteDiagnosis(Utf8JsonWriter writer, EncounterDiagnosis value)
    {
        writer.WriteStartObject();
        FhirElementWriter.Object(writer, "condition", value.Condition, WriteReference);
        FhirElementWriter.Object(writer, "use", value.Use, WriteConcept);
        if (value.Rank is { } rank)
        {
            writer.WriteNumber("rank", rank);
        }

        writer.WriteEndObject();
    }

    // ---- Encounter.hospitalization ----
    private static readonly FhirPropertyNames HospitalizationNames = new(typeof(EncounterHospitalization), "dischargeDisposition", "admitSource");

    internal static EncounterHospitalization? ReadHospitalization(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<EncounterHospitalization>(ref reader))
        {
            return null;
        }

        var value = new EncounterHospitalization();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = HospitalizationNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.DischargeDisposition = ReadConcept(ref reader); break;
                    default: value.AdmitSource = ReadConcept(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(HospitalizationNames[p]);
        }
    }

    internal static void WriteHospitalization(Utf8JsonWriter writer, EncounterHospitalization value)
    {
        writer.WriteStartObject();
        FhirElementWriter.Object(writer, "dischargeDisposition", value.DischargeDisposition, WriteConcept);
        FhirElementWriter.Object(writer, "admitSource", value.AdmitSource, WriteConcept);
        writer.WriteEndObject();
    }

    // ---- MedicationAdministration.dosage ----
    private static readonly FhirPropertyNames DosageNames = new(typeof(MedicationAdministrationDosage), "text", "route", "dose");

    internal static MedicationAdministrationDosage? ReadDosage(ref Utf8JsonReader reader)
    {
        if (!FhirElementReader.StartObject<MedicationAdministrationDosage>(ref reader))
        {
            return null;
        }

        var value = new MedicationAdministrationDosage();
        ulong seen = 0;
        var p = -1;
        try
        {
            while (true)
            {
                p = -1;
                p = DosageNames.Next(ref reader, ref seen);
                switch (p)
                {
                    case -1: return value;
                    case 0: value.Text = FhirElementReader.String(ref reader); break;
                    case 1: value.Route = ReadConcept(ref reader); break;
                    default: value.Dose = ReadQuantity(ref reader); break;
                }
            }
        }
        catch (FhirElementException ex) when (p >= 0)
        {
            throw ex.Under(DosageNames[p]);
        }
    }

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

    public static void Strings(Utf8JsonWriter writer, string name, List<string>? values)
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
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }

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
internal abstract class FhirElementConverter<T> : JsonConverter<T>
    where T : class
{
    public sealed override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadElement(ref reader);

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        WriteElement(writer, value);
    }

    protected abstract T? ReadElement(ref Utf8JsonReader reader);

    protected abstract void WriteElement(Utf8JsonWriter writer, T value);
}

#pragma warning disable SA1402, CA1812 // One-line adapters, created by the source-generated context.
internal sealed class CodingConverter : FhirElementConverter<Coding>
{
    protected override Coding? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadCoding(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Coding value) => FhirElements.WriteCoding(writer, value);
}

internal sealed class CodeableConceptConverter : FhirElementConverter<CodeableConcept>
{
    protected override CodeableConcept? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadConcept(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, CodeableConcept value) => FhirElements.WriteConcept(writer, value);
}

internal sealed class PeriodConverter : FhirElementConverter<Period>
{
    protected override Period? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadPeriod(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Period value) => FhirElements.WritePeriod(writer, value);
}

internal sealed class IdentifierConverter : FhirElementConverter<Identifier>
{
    protected override Identifier? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadIdentifier(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Identifier value) => FhirElements.WriteIdentifier(writer, value);
}

internal sealed class ReferenceConverter : FhirElementConverter<ResourceReference>
{
    protected override ResourceReference? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadReference(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, ResourceReference value) => FhirElements.WriteReference(writer, value);
}

internal sealed class HumanNameConverter : FhirElementConverter<HumanName>
{
    protected override HumanName? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadName(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, HumanName value) => FhirElements.WriteName(writer, value);
}

internal sealed class AddressConverter : FhirElementConverter<Address>
{
    protected override Address? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadAddress(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Address value) => FhirElements.WriteAddress(writer, value);
}

internal sealed class ContactPointConverter : FhirElementConverter<ContactPoint>
{
    protected override ContactPoint? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadContact(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, ContactPoint value) => FhirElements.WriteContact(writer, value);
}

internal sealed class ExtensionConverter : FhirElementConverter<Extension>
{
    protected override Extension? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadExtension(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Extension value) => FhirElements.WriteExtension(writer, value);
}

internal sealed class PrimitiveElementConverter : FhirElementConverter<PrimitiveElement>
{
    protected override PrimitiveElement? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadPrimitive(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, PrimitiveElement value) => FhirElements.WritePrimitive(writer, value);
}

internal sealed class QuantityConverter : FhirElementConverter<Quantity>
{
    protected override Quantity? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadQuantity(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Quantity value) => FhirElements.WriteQuantity(writer, value);
}

internal sealed class MetaConverter : FhirElementConverter<Meta>
{
    protected override Meta? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadMeta(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Meta value) => FhirElements.WriteMeta(writer, value);
}

internal sealed class NarrativeConverter : FhirElementConverter<Narrative>
{
    protected override Narrative? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadNarrative(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, Narrative value) => FhirElements.WriteNarrative(writer, value);
}

internal sealed class BundleEntryRequestConverter : FhirElementConverter<BundleEntryRequest>
{
    protected override BundleEntryRequest? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadRequest(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, BundleEntryRequest value) => FhirElements.WriteRequest(writer, value);
}

internal sealed class EncounterDiagnosisConverter : FhirElementConverter<EncounterDiagnosis>
{
    protected override EncounterDiagnosis? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadDiagnosis(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, EncounterDiagnosis value) => FhirElements.WriteDiagnosis(writer, value);
}

internal sealed class EncounterHospitalizationConverter : FhirElementConverter<EncounterHospitalization>
{
    protected override EncounterHospitalization? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadHospitalization(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, EncounterHospitalization value) => FhirElements.WriteHospitalization(writer, value);
}

internal sealed class DosageConverter : FhirElementConverter<MedicationAdministrationDosage>
{
    protected override MedicationAdministrationDosage? ReadElement(ref Utf8JsonReader reader) => FhirElements.ReadDosage(ref reader);

    protected override void WriteElement(Utf8JsonWriter writer, MedicationAdministrationDosage value) => FhirElements.WriteDosage(writer, value);
}
#pragma warning restore SA1402, CA1812
