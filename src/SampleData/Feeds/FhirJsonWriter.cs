using System.Globalization;
using System.Text.Json;
using Hub.SampleData.Population;

namespace Hub.SampleData.Feeds;

/// <summary>
/// Writes the FHIR R4 resources of one ED visit (Patient, Encounter class EMER, Condition, MedicationAdministration,
/// Consent) either as one transaction Bundle or as NDJSON lines, from the same code so both forms always agree.
/// </summary>
internal static class FhirJsonWriter
{
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private static readonly JsonWriterOptions Indented = new() { Indented = true, NewLine = "\n" };
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    /// <summary>The resource kinds in NDJSON file order.</summary>
    public static readonly string[] ResourceTypes = ["Patient", "Encounter", "Condition", "MedicationAdministration", "Consent"];

    public static void WriteBundle(Stream stream, EdVisit visit, ScenarioBuilder builder)
    {
        using var json = new Utf8JsonWriter(stream, Indented);
        json.WriteStartObject();
        json.WriteString("resourceType", "Bundle");
        json.WriteString("id", "bundle-" + visit.EncounterId);
        json.WriteString("type", "transaction");
        json.WriteString("timestamp", Format(builder, visit.Departed));
        json.WriteStartArray("entry");
        foreach (var (type, id, write) in Resources(visit, builder))
        {
            json.WriteStartObject();
            json.WriteString("fullUrl", $"urn:uuid:{DeterministicUuid(visit, type, id)}");
            json.WritePropertyName("resource");
            write(json);
            json.WriteStartObject("request");
            json.WriteString("method", "PUT");
            json.WriteString("url", $"{type}/{id}");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes each resource of the visit as one line to the stream of its type.</summary>
    public static void WriteNdjson(IReadOnlyDictionary<string, Stream> streams, EdVisit visit, ScenarioBuilder builder)
    {
        foreach (var (type, _, write) in Resources(visit, builder))
        {
            var stream = streams[type];
            using (var json = new Utf8JsonWriter(stream, Compact))
            {
                write(json);
            }

            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary>How many resources of each type a visit yields.</summary>
    public static IEnumerable<string> ResourceTypesOf(EdVisit visit, ScenarioBuilder builder) => Resources(visit, builder).Select(r => r.Type);

    private static IEnumerable<(string Type, string Id, Action<Utf8JsonWriter> Write)> Resources(EdVisit visit, ScenarioBuilder builder)
    {
        yield return ("Patient", visit.PatientId, json => Patient(json, visit));
        yield return ("Encounter", visit.EncounterId, json => Encounter(json, visit, builder));
        for (var i = 0; i < visit.Diagnoses.Count; i++)
        {
            var id = $"{visit.EncounterId}-cond-{i + 1}";
            var diagnosis = visit.Diagnoses[i];
            yield return ("Condition", id, json => Condition(json, visit, builder, id, diagnosis));
        }

        if (visit.Naloxone)
        {
            var id = $"{visit.EncounterId}-medadmin-1";
            yield return ("MedicationAdministration", id, json => Naloxone(json, visit, builder, id));
        }

        if (visit.ConsentDeny)
        {
            var id = $"{visit.PatientId}-consent-1";
            yield return ("Consent", id, json => Consent(json, visit, builder, id));
        }
    }

    private static void Meta(Utf8JsonWriter json, EdVisit visit, string? profile)
    {
        if (profile is null && !visit.Part2)
        {
            return;
        }

        json.WriteStartObject("meta");
        if (profile is not null)
        {
            json.WriteStartArray("profile");
            json.WriteStringValue(profile);
            json.WriteEndArray();
        }

        if (visit.Part2)
        {
            json.WriteStartArray("security");
            json.WriteStartObject();
            json.WriteString("system", ActCode);
            json.WriteString("code", "42CFRPart2");
            json.WriteString("display", "42 CFR Part2");
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void Patient(Utf8JsonWriter json, EdVisit visit)
    {
        var p = visit.Patient;
        json.WriteStartObject();
        json.WriteString("resourceType", "Patient");
        json.WriteString("id", visit.PatientId);
        json.WriteStartObject("meta");
        json.WriteStartArray("profile");
        json.WriteStringValue("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("identifier");
        json.WriteStartObject();
        json.WriteStartObject("type");
        json.WriteStartArray("coding");
        Coding(json, "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("system", "urn:oid:2.16.840.1.113883.3.9999.1");
        json.WriteString("value", visit.Mrn);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("name");
        json.WriteStartObject();
        json.WriteString("use", "official");
        json.WriteString("family", p.LastName);
        json.WriteStartArray("given");
        json.WriteStringValue(p.FirstName);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("telecom");
        json.WriteStartObject();
        json.WriteString("system", "phone");
        json.WriteString("value", p.Phone);
        json.WriteString("use", "home");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("gender", p.Sex == SyntheticSex.Female ? "female" : "male");
        if (p.BirthDate is { } dob)
        {
            json.WriteString("birthDate", dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        json.WriteStartArray("address");
        json.WriteStartObject();
        json.WriteString("use", "home");
        json.WriteStartArray("line");
        json.WriteStringValue(p.Home.Line);
        json.WriteEndArray();
        json.WriteString("city", p.Home.City);
        json.WriteString("state", p.Home.State);
        json.WriteString("postalCode", p.Home.Zip);
        json.WriteString("country", "US");
        json.WriteStartArray("extension");
        json.WriteStartObject();
        json.WriteString("url", "http://hl7.org/fhir/StructureDefinition/geolocation");
        json.WriteStartArray("extension");
        json.WriteStartObject();
        json.WriteString("url", "latitude");
        json.WriteNumber("valueDecimal", (decimal)p.Home.Latitude);
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("url", "longitude");
        json.WriteNumber("valueDecimal", (decimal)p.Home.Longitude);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Encounter(Utf8JsonWriter json, EdVisit visit, ScenarioBuilder builder)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "Encounter");
        json.WriteString("id", visit.EncounterId);
        Meta(json, visit, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter");
        json.WriteString("status", "finished");
        json.WriteStartObject("class");
        json.WriteString("system", ActCode);
        json.WriteString("code", "EMER");
        json.WriteString("display", "emergency");
        json.WriteEndObject();
        json.WriteStartArray("type");
        json.WriteStartObject();
        json.WriteStartArray("coding");
        Coding(json, "http://snomed.info/sct", "50849002", "Emergency room admission (procedure)");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        Reference(json, "subject", $"Patient/{visit.PatientId}");
        json.WriteStartObject("period");
        json.WriteString("start", Format(builder, visit.Arrived));
        json.WriteString("end", Format(builder, visit.Departed));
        json.WriteEndObject();
        json.WriteStartArray("reasonCode");
        json.WriteStartObject();
        json.WriteStartArray("coding");
        Coding(json, Icd10Cm, visit.Diagnoses[0].Code, visit.Diagnoses[0].Display);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("serviceProvider");
        json.WriteString("display", visit.Facility);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Condition(Utf8JsonWriter json, EdVisit visit, ScenarioBuilder builder, string id, (string Code, string Display) diagnosis)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "Condition");
        json.WriteString("id", id);
        Meta(json, visit, null);
        CodeableConcept(json, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active");
        CodeableConcept(json, "verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed");
        json.WriteStartArray("category");
        json.WriteStartObject();
        json.WriteStartArray("coding");
        Coding(json, "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis", "Encounter Diagnosis");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        CodeableConcept(json, "code", Icd10Cm, diagnosis.Code, diagnosis.Display);
        Reference(json, "subject", $"Patient/{visit.PatientId}");
        Reference(json, "encounter", $"Encounter/{visit.EncounterId}");
        json.WriteString("onsetDateTime", Format(builder, visit.Arrived));
        json.WriteString("recordedDate", Format(builder, visit.Arrived.AddMinutes(35)));
        json.WriteEndObject();
    }

    private static void Naloxone(Utf8JsonWriter json, EdVisit visit, ScenarioBuilder builder, string id)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "MedicationAdministration");
        json.WriteString("id", id);
        Meta(json, visit, null);
        json.WriteString("status", "completed");
        CodeableConcept(json, "medicationCodeableConcept", RxNorm, "7242", "naloxone");
        Reference(json, "subject", $"Patient/{visit.PatientId}");
        Reference(json, "context", $"Encounter/{visit.EncounterId}");
        json.WriteString("effectiveDateTime", Format(builder, visit.Arrived.AddMinutes(6)));
        json.WriteStartObject("dosage");
        CodeableConcept(json, "route", "http://snomed.info/sct", "47625008", "Intravenous route");
        json.WriteStartObject("dose");
        json.WriteNumber("value", 0.4m);
        json.WriteString("unit", "mg");
        json.WriteString("system", "http://unitsofmeasure.org");
        json.WriteString("code", "mg");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Consent(Utf8JsonWriter json, EdVisit visit, ScenarioBuilder builder, string id)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "Consent");
        json.WriteString("id", id);
        json.WriteString("status", "active");
        CodeableConcept(json, "scope", "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent");
        json.WriteStartArray("category");
        json.WriteStartObject();
        json.WriteStartArray("coding");
        Coding(json, "http://loinc.org", "59284-0", "Patient Consent");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        Reference(json, "patient", $"Patient/{visit.PatientId}");
        json.WriteString("dateTime", Format(builder, visit.Arrived.AddMinutes(50)));
        json.WriteStartArray("policy");
        json.WriteStartObject();
        json.WriteString("uri", "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("provision");
        json.WriteString("type", "deny");
        json.WriteStartArray("purpose");
        Coding(json, ActCode, "PUBHLTH", "public health");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Coding(Utf8JsonWriter json, string system, string code, string display)
    {
        json.WriteStartObject();
        json.WriteString("system", system);
        json.WriteString("code", code);
        json.WriteString("display", display);
        json.WriteEndObject();
    }

    private static void CodeableConcept(Utf8JsonWriter json, string property, string system, string code, string display)
    {
        json.WriteStartObject(property);
        json.WriteStartArray("coding");
        Coding(json, system, code, display);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Reference(Utf8JsonWriter json, string property, string reference)
    {
        json.WriteStartObject(property);
        json.WriteString("reference", reference);
        json.WriteEndObject();
    }

    private static string Format(ScenarioBuilder builder, DateTimeOffset time) =>
        builder.InZone(time).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static Guid DeterministicUuid(EdVisit visit, string type, string id)
    {
        var random = SeededRandom.For(visit.Index, visit.Mrn + "/" + type + "/" + id, visit.Index);
        return random.NextGuid();
    }
}
