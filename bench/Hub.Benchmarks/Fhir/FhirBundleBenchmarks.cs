using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Adapters.Fhir.Model;

namespace Hub.Benchmarks.Fhir;

/// <summary>
/// Parse + resolve + classify of one ED-shaped transaction Bundle (Patient, EMER Encounter, two Conditions, a
/// MedicationAdministration with a contained naloxone Medication, a chief-complaint Observation, a Consent; ~5 KB).
/// Target: 25,000 Bundles/s single-threaded (one operation = one Bundle). See docs/performance/fhir.md.
/// </summary>
[MemoryDiagnoser]
public class FhirBundleBenchmarks
{
    private byte[] bundle = [];
    private FhirFeedReader reader = null!;
    private SourceDocument source = null!;

    [GlobalSetup]
    public void Setup()
    {
        bundle = Encoding.UTF8.GetBytes(EdBundle(7));
        var feed = new FeedOptions { Id = "bench-ed", Kind = FeedKind.Fhir, AgencyId = "hospital", TimeZone = "America/New_York" };
        reader = new FhirFeedReaderFactory().CreateReader(feed);
        source = new SourceDocument("http", new string('0', 64), DateTimeOffset.UnixEpoch);
        var outcomes = reader.ReadResource(FhirJson.TryParse(bundle, out _)!, source);
        if (outcomes.Count != 1 || outcomes[0].Kind != Hub.Contracts.Model.RecordOutcomeKind.Overdose)
        {
            throw new InvalidOperationException("benchmark Bundle must classify as one overdose");
        }
    }

    /// <summary>Baseline: System.Text.Json DOM parse of the same bytes (no model, no resolution).</summary>
    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var doc = JsonDocument.Parse(bundle);
        return doc.RootElement.GetProperty("entry").GetArrayLength();
    }

    /// <summary>Strict model parse only (hand-written readers; the serializer's metadata only for errors).</summary>
    [Benchmark]
    public Resource? ParseOnly() => FhirJson.TryParse(bundle, out _);

    /// <summary>The same parse with the serializer's own source-generated metadata for every type (the model before the hand-written readers).</summary>
    [Benchmark]
    public Resource? ParseSourceGenerated() => FhirJson.TryParse(bundle, FhirReferenceJsonContext.Default.Resource, out _);

    /// <summary>Parse + index + resolve references + classify + map to OverdoseEvent.</summary>
    [Benchmark]
    public int ParseResolveClassify()
    {
        var resource = FhirJson.TryParse(bundle, out _)!;
        return reader.ReadResource(resource, source).Count;
    }

    /// <summary>An ED-shaped Bundle; <paramref name="seed"/> varies ids.</summary>
    public static string EdBundle(int seed) => $$$$"""
        {"resourceType":"Bundle","id":"b{{{{seed}}}}","type":"transaction","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Patient","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
          "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"urn:oid:1.2.3.4","value":"MRN{{{{seed}}}}"}],
          "name":[{"use":"official","family":"Synthetic","given":["Pat","Q"]}],"telecom":[{"system":"phone","value":"555-0100","use":"home"}],
          "gender":"male","birthDate":"1988-02-03","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":"1988-02-03T04:05:06-05:00"}]},
          "address":[{"use":"home","line":["1 Main St"],"city":"Springfield","state":"MA","postalCode":"01101"}]},"request":{"method":"POST","url":"Patient"}},
        {"fullUrl":"urn:uuid:10000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Encounter","id":"enc{{{{seed}}}}","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
          "status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},
          "type":[{"coding":[{"system":"http://snomed.info/sct","code":"50849002","display":"Emergency room admission"}]}],
          "subject":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},"period":{"start":"2026-03-04T22:10:00-05:00","end":"2026-03-05T01:10:00-05:00"},
          "reasonCode":[{"text":"unresponsive, possible heroin OD"}],
          "diagnosis":[{"condition":{"reference":"urn:uuid:20000000-0000-4000-8000-{{{{seed:D12}}}}"},"rank":1}],
          "hospitalization":{"dischargeDisposition":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/discharge-disposition","code":"home"}]}}},"request":{"method":"POST","url":"Encounter"}},
        {"fullUrl":"urn:uuid:20000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Condition","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"encounter-diagnosis"}]}],
          "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A","display":"Poisoning by heroin, accidental"}]},
          "subject":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},"encounter":{"reference":"urn:uuid:10000000-0000-4000-8000-{{{{seed:D12}}}}"},"onsetDateTime":"2026-03-04T21:50:00-05:00"},"request":{"method":"POST","url":"Condition"}},
        {"fullUrl":"urn:uuid:21000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"R40.20"}]},
          "subject":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},"encounter":{"reference":"urn:uuid:10000000-0000-4000-8000-{{{{seed:D12}}}}"}},"request":{"method":"POST","url":"Condition"}},
        {"fullUrl":"urn:uuid:30000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"MedicationAdministration","contained":[{"resourceType":"Medication","id":"m","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"1659929"}]}}],
          "status":"completed","medicationReference":{"reference":"#m"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},
          "context":{"reference":"urn:uuid:10000000-0000-4000-8000-{{{{seed:D12}}}}"},"effectiveDateTime":"2026-03-04T22:15:00-05:00","dosage":{"dose":{"value":4,"unit":"mg"}}},"request":{"method":"POST","url":"MedicationAdministration"}},
        {"fullUrl":"urn:uuid:40000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8661-1"}]},
          "subject":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},"encounter":{"reference":"urn:uuid:10000000-0000-4000-8000-{{{{seed:D12}}}}"},"valueString":"found down"},"request":{"method":"POST","url":"Observation"}},
        {"fullUrl":"urn:uuid:50000000-0000-4000-8000-{{{{seed:D12}}}}","resource":{"resourceType":"Consent","status":"active","scope":{"coding":[{"code":"patient-privacy"}]},
          "patient":{"reference":"urn:uuid:00000000-0000-4000-8000-{{{{seed:D12}}}}"},"provision":{"type":"permit","purpose":[{"code":"PUBHLTH"}]}},"request":{"method":"POST","url":"Consent"}}
        ]}
        """;
}
