using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Contracts.Model;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirFeedReaderTests
{
    [Fact]
    public async Task Given_a_transaction_with_urn_uuid_references_When_read_Then_one_opioid_event_with_everything_mapped()
    {
        var statistics = new FhirReadStatistics();
        var outcomes = await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("transaction-opioid-icd.json"), statistics: statistics);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Equal("transaction", statistics.BundleType);
        Assert.Equal("tx-1", statistics.BundleId);
        var evt = outcome.Event!;
        Assert.Equal("Encounter/ed-visit-1", evt.SourceRecordId);
        Assert.Equal(FhirEncounterMapper.EventIdOf("ed-test", "Encounter/ed-visit-1"), evt.EventId);
        Assert.Equal(SourceKind.EmergencyDepartment, evt.SourceKind);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 22, 10, 0, TimeSpan.FromHours(-5)), evt.OccurredAt);
        Assert.Equal("cdc-dose-ed-opioid", evt.Detection.DefinitionId);
        Assert.Equal(FhirCaseDefinitions.Version, evt.Detection.DefinitionVersion);
        Assert.Contains(evt.Detection.Evidence, e => e is { Rule: "icd-10-cm", Value: "T40.1X1A", Element: "Condition.code" });
        Assert.Contains(evt.Detection.Evidence, e => e is { Rule: "naloxone-administered", Value: "1659929" });
        Assert.Equal(SubstanceClass.Opioid, evt.Clinical.Substance);

        var subject = evt.Subject!;
        Assert.Equal("Testperson", subject.FamilyName);
        Assert.Equal("Alex", subject.GivenName);
        Assert.Equal("Q", subject.MiddleName);
        Assert.Equal(new DateOnly(1990, 4, 2), subject.BirthDate);
        Assert.Equal(35, subject.AgeYears);
        Assert.Equal("female", subject.Sex);
        Assert.Equal("555-0100", subject.Phone);
        Assert.Equal("MRN-0001", subject.MedicalRecordNumber);
        Assert.Equal("01101", subject.HomeAddress!.Zip);
        Assert.Equal(LocationPrecision.Address, evt.Location.Precision);
        Assert.Equal("Springfield", evt.Location.City);

        var med = Assert.Single(evt.Clinical.Medications);
        Assert.True(med.IsNaloxone);
        Assert.Equal("RxNorm", med.Medication.System);
        Assert.Equal(4m, med.Dose);
        Assert.Equal("46713006", med.Route);
        Assert.True(evt.Clinical.NaloxoneGiven);
        Assert.Equal(1, evt.Clinical.NaloxoneDoses);
        Assert.Equal(DispositionKind.Discharged, evt.Clinical.Disposition);

        var consent = Assert.Single(evt.ConsentSignals);
        Assert.Equal(ConsentSignalKind.ConsentDeny, consent.Kind);
        Assert.Equal(["PUBHLTH"], consent.Purposes);
        Assert.Contains("IRCP", consent.Actors);
        Assert.Contains("Organization/county-outreach", consent.Actors);
        Assert.Equal("Consent/deny-1", consent.Source);
        Assert.Equal(2026, consent.PeriodEnd!.Value.Year);

        Assert.Contains(evt.SecurityLabels, l => l.Code == "42CFRPart2" && l.System == "http://terminology.hl7.org/CodeSystem/v3-ActCode");
        Assert.Contains(evt.SecurityLabels, l => l.Code == "R");
        Assert.Equal("Bundle.entry[1].resource", evt.Provenance.Path);
    }

    [Fact]
    public async Task Given_a_batch_with_a_conditional_subject_and_SNOMED_reason_When_read_Then_opioid_event()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("batch-snomed-conditional.json")));
        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        var evt = outcome.Event!;
        Assert.Equal("snomed-ct", evt.Detection.Evidence[0].Rule);
        Assert.Equal("Encounter.reasonReference[0]", evt.Detection.Evidence[0].Element);
        Assert.Equal("male", evt.Subject!.Sex);
        Assert.Null(evt.Subject.BirthDate); // "1979" is a partial date
        Assert.Equal(LocationPrecision.Zip, evt.Location.Precision);
    }

    [Fact]
    public async Task Given_a_collection_with_chief_complaints_When_read_Then_only_the_ED_overdose_complaint_matches()
    {
        var statistics = new FhirReadStatistics();
        var outcomes = await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("collection-chief-complaint.json"), statistics: statistics);
        Assert.Equal(2, outcomes.Count); // the AMB encounter is not a record
        Assert.Equal(2, statistics.EmergencyEncounters);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        Assert.Equal("chief-complaint", outcomes[0].Event!.Detection.Evidence[0].Rule);
        Assert.Null(outcomes[0].Event!.Narrative); // narrative only when the feed keeps it
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcomes[1].Kind);
        Assert.Equal("cdc-dose-ed-opioid@" + FhirCaseDefinitions.Version, outcomes[1].Definition);
    }

    [Fact]
    public async Task Given_a_message_with_an_adverse_effect_When_read_Then_not_an_overdose_and_id_from_fullUrl()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("message-adverse-effect.json")));
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcome.Kind);
        Assert.Equal("Encounter/aaaaaaaa-0000-4000-8000-000000000003", outcome.SourceRecordId);
    }

    [Fact]
    public async Task Given_a_message_with_a_label_on_the_Bundle_When_an_overdose_Then_the_label_is_carried()
    {
        var json = (await File.ReadAllTextAsync(FhirTestSupport.TestData("message-adverse-effect.json"))).Replace("T402X5A", "T402X1A", StringComparison.Ordinal);
        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync(json));
        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Contains(outcome.Event!.SecurityLabels, l => l.Code == "NORDSCLCD");
        Assert.Equal("Encounter.diagnosis[0].condition", outcome.Event.Detection.Evidence[0].Element);
    }

    [Fact]
    public async Task Given_a_message_without_MessageHeader_first_When_read_Then_rejected()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("message-without-header.json")));
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("Bundle.entry[0].resource", outcome.Reject!.Location);
    }

    [Fact]
    public async Task Given_a_broken_subject_reference_When_read_Then_reject_with_path_and_no_value()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadFileAsync(FhirTestSupport.TestData("broken-reference.json")));
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("Encounter/e9", outcome.SourceRecordId);
        Assert.Equal("Bundle.entry[1].resource.subject", outcome.Reject!.Location);
        Assert.DoesNotContain("absent", outcome.Reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_broken_diagnosis_reference_When_read_Then_reject_at_that_diagnosis()
    {
        var json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p"}},
              {"resource":{"resourceType":"Condition","id":"c1"}},
              {"resource":{"resourceType":"Encounter","id":"e","class":{"code":"EMER"},"subject":{"reference":"Patient/p"},"period":{"start":"2026-01-01"},
                "diagnosis":[{"condition":{"reference":"Condition/c1"}},{"condition":{"reference":"Condition/nope"}}]}}]}
            """;
        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync(json));
        Assert.Equal("Bundle.entry[2].resource.diagnosis[1].condition", outcome.Reject!.Location);
    }

    [Fact]
    public async Task Given_a_root_that_is_not_a_Bundle_When_read_Then_wrong_resourceType_reject()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync("""{"resourceType":"Patient","id":"x"}"""));
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("$.resourceType", outcome.Reject!.Location);
    }

    [Fact]
    public async Task Given_an_unknown_Bundle_type_When_read_Then_rejected()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync("""{"resourceType":"Bundle","type":"bogus"}"""));
        Assert.Equal("Bundle.type", outcome.Reject!.Location);
    }

    [Fact]
    public async Task Given_malformed_json_When_read_Then_one_reject_with_line_and_path()
    {
        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync("{\"resourceType\":\"Bundle\",\n\"type\":\"collection\",\n\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"gender\":true}}]}"));
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("line 3, $.entry[0].resource.gender", outcome.Reject!.Location);
    }

    [Fact]
    public async Task Given_a_bulk_export_folder_When_read_Then_references_resolve_across_files_and_the_bad_line_is_rejected()
    {
        var folder = FhirTestSupport.TestData("bulk-export");
        var statistics = new FhirReadStatistics();
        var outcomes = await FhirTestSupport.ToListAsync(FhirTestSupport.Reader().ReadAsync(null, FhirTestSupport.Source("bulk-export", folder), statistics, CancellationToken.None));

        var reject = Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
        Assert.StartsWith("Condition.000.ndjson line 3", reject.Reject!.Location, StringComparison.Ordinal);
        var overdose = Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.Overdose);
        Assert.Equal("Encounter/be1", overdose.SourceRecordId);
        Assert.Equal("Encounter.000.ndjson", overdose.Event!.Provenance.Source);
        Assert.Equal(1, overdose.Event.Provenance.Line);
        Assert.Equal("Lowell", overdose.Event.Location.City);
        Assert.Equal(ConsentSignalKind.ConsentPermit, Assert.Single(overdose.Event.ConsentSignals).Kind);
        Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.NotOverdose);
        Assert.Equal(1, statistics.FilesSkipped); // log.ndjson
        Assert.Equal(4, statistics.FilesRead);
        Assert.Equal(10, statistics.Lines);
        Assert.Equal(3, statistics.ResourcesByType["Patient"]);
        Assert.True(statistics.ResourcesKept < 9, "bp3 and the AMB encounter are not kept");
    }

    [Fact]
    public async Task Given_an_NDJSON_file_with_one_bad_line_among_10000_When_read_Then_one_reject_and_every_other_line_read()
    {
        var builder = new StringBuilder();
        for (var i = 1; i <= 10_000; i++)
        {
            if (i == 4321)
            {
                builder.Append("{\"resourceType\":\"Patient\",\"id\":\"broken\"\n");
                continue;
            }

            builder.Append(i % 2 == 0
                ? $"{{\"resourceType\":\"Patient\",\"id\":\"p{i}\",\"gender\":\"male\"}}\n"
                : $"{{\"resourceType\":\"Encounter\",\"id\":\"e{i}\",\"class\":{{\"code\":\"EMER\"}},\"subject\":{{\"reference\":\"Patient/p{i + 1}\"}},\"period\":{{\"start\":\"2026-01-01T00:00:00Z\"}},\"reasonCode\":[{{\"coding\":[{{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"{(i % 3 == 0 ? "T40.1X1A" : "J45.909")}\"}}]}}]}}\n");
        }

        var statistics = new FhirReadStatistics();
        var outcomes = await FhirTestSupport.ReadTextAsync(builder.ToString(), "mixed.ndjson", statistics: statistics);

        var reject = Assert.Single(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
        Assert.StartsWith("mixed.ndjson line 4321", reject.Reject!.Location, StringComparison.Ordinal);
        Assert.Equal(10_000, statistics.Lines);
        Assert.Equal(1, statistics.BadLines);
        Assert.Equal(4_999, statistics.ResourcesByType["Encounter"]);
        Assert.Equal(5_000, statistics.ResourcesByType["Patient"]);
        var oddLines = Enumerable.Range(1, 10_000).Where(i => i % 2 == 1 && i != 4321).ToList();
        Assert.Equal(oddLines.Count(i => i % 3 == 0), outcomes.Count(o => o.Kind == RecordOutcomeKind.Overdose));
        Assert.Equal(oddLines.Count(i => i % 3 != 0), outcomes.Count(o => o.Kind == RecordOutcomeKind.NotOverdose));
    }

    [Fact]
    public async Task Given_one_NDJSON_file_with_references_in_any_order_When_read_Then_they_resolve_and_unlinked_resources_are_not_kept()
    {
        // Conditions and the Patient come before the Encounter, the Medication after its MedicationAdministration.
        const string Ndjson = """
            {"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A"}]},"encounter":{"reference":"Encounter/e1"}}
            {"resourceType":"Condition","id":"c-other","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"T40.1X1A"}]},"encounter":{"reference":"Encounter/e-ambulatory"}}
            {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1990-05-06"}
            {"resourceType":"Patient","id":"p-other","gender":"male"}
            {"resourceType":"MedicationAdministration","id":"ma1","status":"completed","medicationReference":{"reference":"Medication/nal"},"context":{"reference":"Encounter/e1"},"effectiveDateTime":"2026-02-01T10:05:00Z"}
            {"resourceType":"Encounter","id":"e1","class":{"code":"EMER"},"subject":{"reference":"Patient/p1"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Encounter","id":"e-ambulatory","class":{"code":"AMB"},"subject":{"reference":"Patient/p-other"},"period":{"start":"2026-02-01T10:00:00Z"}}
            {"resourceType":"Medication","id":"nal","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"1659929"}]}}
            """;
        var statistics = new FhirReadStatistics();

        var outcome = Assert.Single(await FhirTestSupport.ReadTextAsync(Ndjson, "one.ndjson", statistics: statistics));

        Assert.Equal(RecordOutcomeKind.Overdose, outcome.Kind);
        Assert.Equal("Encounter/e1", outcome.SourceRecordId);
        Assert.Equal(new DateOnly(1990, 5, 6), outcome.Event!.Subject!.BirthDate);
        Assert.True(outcome.Event.Clinical.NaloxoneGiven);
        Assert.Equal(8, statistics.Lines);
        Assert.Equal(2, statistics.ResourcesByType["Encounter"]);
        Assert.Equal(2, statistics.ResourcesByType["Patient"]);
        // The ED Encounter, its Condition, Patient, MedicationAdministration and Medication: not c-other nor p-other.
        Assert.Equal(5, statistics.ResourcesKept);
    }

    [Fact]
    public async Task Given_a_40MB_Bundle_When_read_Then_every_encounter_is_classified()
    {
        const int Encounters = 30_000;
        var builder = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[", 45 * 1024 * 1024);
        var padding = new string('x', 600);
        for (var i = 0; i < Encounters; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append($"{{\"fullUrl\":\"urn:uuid:p-{i}\",\"resource\":{{\"resourceType\":\"Patient\",\"gender\":\"female\",\"note\":\"{padding}\"}}}},");
            builder.Append($"{{\"resource\":{{\"resourceType\":\"Encounter\",\"id\":\"e{i}\",\"class\":{{\"code\":\"EMER\"}},\"subject\":{{\"reference\":\"urn:uuid:p-{i}\"}},\"period\":{{\"start\":\"2026-01-01T00:00:00Z\"}},\"reasonCode\":[{{\"coding\":[{{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"{(i % 4 == 0 ? "T40.411A" : "S06.0X0A")}\"}}]}}],\"note\":\"{padding}\"}}}}");
        }

        builder.Append("]}");
        Assert.True(builder.Length > 40 * 1024 * 1024, "the generated Bundle is above 40 MB");

        var outcomes = await FhirTestSupport.ReadTextAsync(builder.ToString());
        Assert.Equal(Encounters, outcomes.Count);
        Assert.Equal(Encounters / 4, outcomes.Count(o => o.Kind == RecordOutcomeKind.Overdose));
        Assert.DoesNotContain(outcomes, o => o.Kind == RecordOutcomeKind.Rejected);
    }

    [Fact]
    public async Task Given_no_content_and_no_path_When_read_Then_a_reject_not_an_exception()
    {
        var outcome = Assert.Single(await FhirTestSupport.ToListAsync(FhirTestSupport.Reader().ReadAsync(null, FhirTestSupport.Source("missing", "/nonexistent/x"), CancellationToken.None)));
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
    }

    [Fact]
    public void Given_a_bad_time_zone_When_creating_Then_configuration_exception()
    {
        var feed = FhirTestSupport.Feed();
        feed.TimeZone = "Mars/Olympus";
        Assert.Throws<FeedConfigurationException>(() => new FhirFeedReaderFactory().Create(feed));
    }
}
