using System.Text.Json;
using Hub.Adapters.Fhir;
using Hub.Adapters.Fhir.Model;
using Hub.Contracts.Model;
using Hub.Testing;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirExternalDataTests
{
    private const string DrugOverdose = "55680006";

    public static TheoryData<string> SyntheaFiles()
    {
        var data = new TheoryData<string>();
        if (ExternalData.Root is not null)
        {
            foreach (var file in Directory.EnumerateFiles(ExternalData.PathOf("synthea-r4-bundles"), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    [ExternalDataTheory]
    [MemberData(nameof(SyntheaFiles))]
    public async Task Given_a_Synthea_bundle_When_read_Then_drug_overdose_counts_only_under_all_drug(string file)
    {
        var path = ExternalData.PathOf("synthea-r4-bundles", file);
        var (emergency, overdose) = CountFromFile(path);

        var opioid = await FhirTestSupport.ReadFileAsync(path, "opioid");
        Assert.Equal(emergency, opioid.Count);
        Assert.All(opioid, o => Assert.Equal(RecordOutcomeKind.NotOverdose, o.Kind));

        var allDrug = await FhirTestSupport.ReadFileAsync(path, "all-drug");
        Assert.Equal(emergency, allDrug.Count);
        Assert.DoesNotContain(allDrug, o => o.Kind == RecordOutcomeKind.Rejected);
        var events = allDrug.Where(o => o.Kind == RecordOutcomeKind.Overdose).Select(o => o.Event!).ToList();
        Assert.Equal(overdose, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("cdc-dose-ed-all-drug", e.Detection.DefinitionId);
            Assert.Equal(SubstanceClass.OtherDrug, e.Clinical.Substance);
            Assert.Contains(e.Detection.Evidence, x => x.Rule == "snomed-ct" && x.Value == DrugOverdose);
            Assert.NotNull(e.Subject?.BirthDate);
        });
    }

    [ExternalDataFact]
    public async Task Given_all_Synthea_bundles_When_read_with_all_drug_Then_the_PROVENANCE_totals_hold()
    {
        var total = 0;
        foreach (var file in Directory.EnumerateFiles(ExternalData.PathOf("synthea-r4-bundles"), "*.json"))
        {
            total += (await FhirTestSupport.ReadFileAsync(file, "all-drug")).Count(o => o.Kind == RecordOutcomeKind.Overdose);
        }

        // PROVENANCE.md: EMER encounters with reason = overdose: 3 + 2 + 3 + 4.
        Assert.Equal(12, total);
    }

    [ExternalDataFact]
    public async Task Given_the_SMART_bulk_export_When_read_Then_every_resource_is_read_and_no_overdose_is_found()
    {
        var folder = ExternalData.PathOf("fhir-bulk-ndjson-synthea-10");
        var expectedByType = new Dictionary<string, int>(StringComparer.Ordinal);
        var expectedEmergency = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.ndjson").Where(f => char.IsAsciiLetterUpper(Path.GetFileName(f)[0])))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                using var doc = JsonDocument.Parse(line);
                var type = doc.RootElement.GetProperty("resourceType").GetString()!;
                expectedByType[type] = expectedByType.GetValueOrDefault(type) + 1;
                if (type == "Encounter" && IsEmergency(doc.RootElement))
                {
                    expectedEmergency++;
                }
            }
        }

        foreach (var scope in new[] { "opioid", "all-drug" })
        {
            var statistics = new FhirReadStatistics();
            var outcomes = await FhirTestSupport.ToListAsync(FhirTestSupport.Reader(scope).ReadAsync(null, FhirTestSupport.Source("export", folder), statistics, CancellationToken.None));

            Assert.Equal(expectedByType, statistics.ResourcesByType);
            Assert.Equal(0, statistics.BadLines);
            var typedFiles = Directory.EnumerateFiles(folder, "*.ndjson").Count(f => char.IsAsciiLetterUpper(Path.GetFileName(f)[0]));
            Assert.Equal(typedFiles, statistics.FilesRead);
            Assert.Equal(Directory.GetFiles(folder).Length - typedFiles, statistics.FilesSkipped); // log.ndjson, LICENSE, PROVENANCE.md
            Assert.Equal(expectedEmergency, outcomes.Count);
            Assert.Equal(expectedEmergency, statistics.EmergencyEncounters);
            Assert.All(outcomes, o => Assert.Equal(RecordOutcomeKind.NotOverdose, o.Kind));
            Assert.True(statistics.ResourcesKept < expectedByType.Values.Sum() / 4, "only what the ED encounters need is kept");
        }
    }

    [ExternalDataFact]
    public void Given_the_HL7_R4_examples_When_parsed_Then_every_file_reads_including_BOM_files()
    {
        var files = Directory.EnumerateFiles(ExternalData.PathOf("hl7-fhir-r4-examples"), "*.json", SearchOption.AllDirectories).ToList();
        Assert.Equal(28, files.Count);
        var boms = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            boms += bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? 1 : 0;
            var resource = FhirJson.TryParse(bytes, out var error);
            Assert.True(resource is not null, $"{Path.GetFileName(file)}: {error?.Reason} at {error?.Path}");
            using var doc = JsonDocument.Parse(bytes.AsMemory(bytes[0] == 0xEF ? 3 : 0));
            Assert.Equal(doc.RootElement.GetProperty("resourceType").GetString(), resource!.ResourceType);
        }

        Assert.True(boms >= 7, "PROVENANCE.md lists several BOM-prefixed files");
    }

    [ExternalDataFact]
    public void Given_the_HL7_Consent_example_When_parsed_Then_its_provision_is_read()
    {
        var path = ExternalData.PathOf("hl7-fhir-r4-examples", "R4", "consent-example.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var consent = Assert.IsType<Consent>(FhirJson.TryParse(File.ReadAllBytes(path), out _));
        Assert.Equal(doc.RootElement.GetProperty("status").GetString(), consent.Status);
        Assert.Equal(doc.RootElement.GetProperty("patient").GetProperty("reference").GetString(), consent.Patient!.Reference);
        Assert.Equal(doc.RootElement.TryGetProperty("provision", out var p) ? p.GetProperty("period").GetProperty("start").GetString() : null, consent.Provision?.Period?.Start);
    }

    [ExternalDataFact]
    public async Task Given_the_HL7_transaction_and_batch_bundles_When_read_Then_no_rejects()
    {
        foreach (var name in new[] { "Bundle-Transaction.json", "Bundle-Batch.json" })
        {
            var statistics = new FhirReadStatistics();
            var outcomes = await FhirTestSupport.ReadFileAsync(ExternalData.PathOf("hl7-fhir-r4-examples", "Normative", name), statistics: statistics);
            Assert.DoesNotContain(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
            Assert.NotNull(statistics.BundleType);
        }
    }

    [ExternalDataFact]
    public void Given_the_CDC_opioid_IG_examples_When_parsed_Then_all_read_and_no_medication_is_rescue_naloxone()
    {
        var classifier = FhirFeedReaderFactory.CreateClassifier(FhirTestSupport.Feed());
        var files = Directory.EnumerateFiles(ExternalData.PathOf("hl7-cdc-opioid-cpg-examples"), "*.json").ToList();
        Assert.Equal(55, files.Count);
        var medications = 0;
        foreach (var file in files)
        {
            var resource = FhirJson.TryParse(File.ReadAllBytes(file), out var error);
            Assert.True(resource is not null, $"{Path.GetFileName(file)}: {error?.Reason} at {error?.Path}");
            if (resource is Medication medication)
            {
                medications++;
                var coding = Assert.Single(medication.Code!.Coding!);
                Assert.Equal(FhirCaseDefinitions.RxNormSystem, coding.System);
                // The IG's "naloxone" example is buprenorphine/naloxone 351267: treatment, not rescue naloxone.
                Assert.False(classifier.IsNaloxone(coding.System, coding.Code));
            }
        }

        Assert.Equal(12, medications);
    }

    private static (int Emergency, int Overdose) CountFromFile(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var entries = doc.RootElement.GetProperty("entry").EnumerateArray().ToList();
        var overdoseEncounters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var resource = entry.GetProperty("resource");
            if (resource.GetProperty("resourceType").GetString() == "Condition" && HasCode(resource.GetProperty("code"), DrugOverdose)
                && resource.TryGetProperty("encounter", out var enc))
            {
                overdoseEncounters.Add(enc.GetProperty("reference").GetString()!);
            }
        }

        var emergency = 0;
        var overdose = 0;
        foreach (var entry in entries)
        {
            var resource = entry.GetProperty("resource");
            if (resource.GetProperty("resourceType").GetString() != "Encounter" || !IsEmergency(resource))
            {
                continue;
            }

            emergency++;
            var byReason = resource.TryGetProperty("reasonCode", out var reasons) && reasons.EnumerateArray().Any(r => HasCode(r, DrugOverdose));
            if (byReason || overdoseEncounters.Contains(entry.GetProperty("fullUrl").GetString()!))
            {
                overdose++;
            }
        }

        return (emergency, overdose);
    }

    private static bool IsEmergency(JsonElement encounter) =>
        (encounter.TryGetProperty("class", out var c) && c.TryGetProperty("code", out var code) && code.GetString() == "EMER")
        || (encounter.TryGetProperty("type", out var types) && types.EnumerateArray().Any(t => HasCode(t, "50849002") || HasCode(t, "4525004")));

    private static bool HasCode(JsonElement concept, string code) =>
        concept.TryGetProperty("coding", out var codings) && codings.EnumerateArray().Any(c => c.TryGetProperty("code", out var v) && v.GetString() == code);
}
