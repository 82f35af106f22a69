using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using Hub.Testing;
using static Hub.Adapters.Tests.Nemsis.NemsisTestSupport;

namespace Hub.Adapters.Tests.Nemsis;

/// <summary>
/// The NEMSIS TAC compliance test cases and sample files in ../shared/external. Expected outcomes under the default
/// (opioid, 2025-12-17) definition were checked by reading each file's eSituation.09–.12 and eMedications groups
/// (a separate script applied the published regex and the naloxone rule): only 2023-EMS-1-Opioid-Release matches
/// (eSituation.11 = F11, and its third medication group is naloxone 7242 with response 9916001 Improved).
/// 2025-EMS-1-Overdose (F19, F10.92, no medication) is NOT an opioid overdose.
/// </summary>
public sealed class NemsisComplianceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>File (relative to nemsis-compliance-testcases) -> expected outcome, default definition.</summary>
    public static TheoryData<string, RecordOutcomeKind> ComplianceCases()
    {
        var data = new TheoryData<string, RecordOutcomeKind>();
        string[] cases =
        [
            "2020-EMS-1-NoPatient_v350", "2020-EMS-2-Ped-MVC-Tx_v350", "2020-EMS-3-Ped-Interfacility_v350", "2020-EMS-4-Newborn-Tx_v350",
            "2020-EMS-5-Diabetic-Release_v350", "2021-EMS-1-NoPatient_v350", "2021-EMS-2-Ped-MVC-Tx_v350", "2021-EMS-3-Ped-Interfacility_v350",
            "2021-EMS-4-Newborn-Tx_v350", "2021-EMS-5-Diabetic-Release_v350", "2022-EMS-1-Cardiac-Transport_v350", "2022-EMS-2-Stroke-Transfer_v350",
            "2022-EMS-3-Trauma-Refusal_v350", "2022-EMS-4-Pediatric-Intubation_v350", "2022-EMS-5-Dialysis-Transport_v350",
            "2023-EMS-1-Opioid-Release_v350", "2023-EMS-2-Crash-Death_v350", "2023-EMS-3-Fall-Transport_v350", "2023-EMS-4-Medical-Transport_v350",
            "2023-EMS-5-STEMI-Flight_v350", "2024-EMS-1-ILI-Release_v350", "2024-EMS-2-Trauma-Refusal_v350", "2024-EMS-3-MCI-Arrest_v350",
            "2024-EMS-4-COVID-Transfer_v350", "2024-EMS-5-Pediatric-Anxiety_v350", "2025-EMS-1-Overdose_v350", "2025-EMS-1-Overdose_v351",
            "2025-EMS-2-Suicide_v350", "2025-EMS-2-Suicide_v351", "2025-EMS-3-MVC_v350", "2025-EMS-3-MVC_v351", "2025-EMS-4-eBike_v350",
            "2025-EMS-4-eBike_v351", "2025-EMS-5-CPMIH_v350", "2025-EMS-5-CPMIH_v351",
        ];
        foreach (var folder in (string[])["full", "national"])
        {
            foreach (var name in cases)
            {
                var expected = name == "2023-EMS-1-Opioid-Release_v350" ? RecordOutcomeKind.Overdose : RecordOutcomeKind.NotOverdose;
                data.Add($"{folder}/{name}.xml", expected);
            }
        }

        // FailSchematron files pass the XSD; their content is the same stories (newborn, dialysis, STEMI, ILI, CP/MIH): not overdoses.
        foreach (var year in (string[])["2020", "2021", "2022", "2023", "2024"])
        {
            data.Add($"fail/{year}-EMS-FailSchematron_v350.xml", RecordOutcomeKind.NotOverdose);
        }

        data.Add("fail/2025-EMS-FailSchematron_v351.xml", RecordOutcomeKind.NotOverdose);
        return data;
    }

    /// <summary>Each must-fail file -> what its XSD reject says (found by validating with the official XSDs; values are never quoted).</summary>
    public static TheoryData<string, string> FailXsdCases() => new()
    {
        { "fail/2020-EMS-FailXsd_v350.xml", "The 'http://www.nemsis.org:eCrew.02' element is invalid" },
        { "fail/2021-EMS-FailXsd_v350.xml", "The 'http://www.nemsis.org:eCrew.02' element is invalid" },
        { "fail/2022-EMS-FailXsd_v350.xml", "has invalid child element 'eDisposition.12'" },
        { "fail/2023-EMS-FailXsd_v350.xml", "The 'http://www.nemsis.org:eResponse.07' element is invalid" },
        { "fail/2024-EMS-FailXsd_v350.xml", "The 'PN' attribute is invalid" },
        { "fail/2025-EMS-FailXsd_v351.xml", "has incomplete content. List of possible elements expected: 'eSituation.19, eSituation.20'" },
    };

    private static string Case(string relative) => ExternalData.PathOf("nemsis-compliance-testcases", relative);

    private static string XsdFor(string relative) =>
        ExternalData.PathOf("nemsis-xsd", relative.Contains("_v351", StringComparison.Ordinal) ? "v3.5.1" : "v3.5.0");

    [ExternalDataTheory]
    [MemberData(nameof(ComplianceCases))]
    public void Given_compliance_case_When_read_leniently_Then_expected_outcome(string relative, RecordOutcomeKind expected)
    {
        var outcomes = ReadFile(Case(relative));

        var outcome = Assert.Single(outcomes);
        Assert.Equal(expected, outcome.Kind);
        Assert.Equal("nemsis-opioid-overdose@2025-12-17", outcome.Definition);
        Assert.False(string.IsNullOrEmpty(outcome.SourceRecordId));
    }

    [ExternalDataTheory]
    [MemberData(nameof(ComplianceCases))]
    public void Given_compliance_case_When_read_strictly_with_its_xsd_Then_it_passes_with_the_same_outcome(string relative, RecordOutcomeKind expected)
    {
        var outcomes = ReadFile(Case(relative), Feed("strict", XsdFor(relative)));

        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Reject);
        Assert.Equal(expected, outcome.Kind);
        Assert.Empty(outcome.Warnings);
    }

    [ExternalDataTheory]
    [MemberData(nameof(FailXsdCases))]
    public void Given_must_fail_file_When_read_strictly_Then_rejected_with_schema_reason_and_line(string relative, string reasonStart)
    {
        var outcomes = ReadFile(Case(relative), Feed("strict", XsdFor(relative)));

        var outcome = Assert.Single(outcomes);
        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        output.WriteLine($"{relative}: {outcome.Reject!.Reason} @ {outcome.Reject.Location}");
        Assert.StartsWith("XSD: ", outcome.Reject!.Reason, StringComparison.Ordinal);
        Assert.Contains(reasonStart, outcome.Reject.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("The value '", outcome.Reject.Reason.Replace("The value '…'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches(@"^line \d+ position \d+, /EMSDataSet/Header/PatientCareReport\[1\]/", outcome.Reject.Location);
    }

    [ExternalDataTheory]
    [MemberData(nameof(FailXsdCases))]
    public void Given_must_fail_file_When_read_leniently_with_xsd_Then_processed_with_a_warning(string relative, string reasonStart)
    {
        var outcomes = ReadFile(Case(relative), Feed("lenient", XsdFor(relative)));

        var outcome = Assert.Single(outcomes);
        Assert.NotEqual(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.Contains(outcome.Warnings, w => w.StartsWith("XSD: ", StringComparison.Ordinal) && w.Contains(reasonStart, StringComparison.Ordinal) && w.Contains("line ", StringComparison.Ordinal));
    }

    [ExternalDataFact]
    public void Given_opioid_release_case_When_read_Then_event_maps_every_needed_element()
    {
        var outcome = Assert.Single(ReadFile(Case("full/2023-EMS-1-Opioid-Release_v350.xml"), Feed(keepNarrative: true)));
        var e = outcome.Event!;

        Assert.Equal("2023-EMS-1-OpioidRelease_v350", e.SourceRecordId);
        Assert.Equal(SourceKind.Ems, e.SourceKind);
        Assert.Equal(Sha256Hex("ems-test|2023-EMS-1-OpioidRelease_v350")[..32], e.EventId);
        Assert.Equal(new DateTimeOffset(2022, 10, 7, 22, 18, 1, TimeSpan.FromHours(-5)), e.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(-5), e.OccurredAt.Offset);
        Assert.Contains(e.RecordIdentifiers, i => i.Kind == "incident-number" && i.Value == "350-20221007003");
        Assert.Contains(e.RecordIdentifiers, i => i.Kind == "response-number" && i.Value == "350-20221007M2003");
        Assert.Contains(e.RecordIdentifiers, i => i.Kind == "pcr-uuid" && i.Value == "6f26e60e-cc8a-4543-a528-9fc2149f1234");

        var s = e.Subject!;
        Assert.Equal("Huffman", s.FamilyName);
        Assert.Equal("Linzi", s.GivenName);
        Assert.Equal(new DateOnly(1999, 12, 9), s.BirthDate);
        Assert.Equal(22, s.AgeYears);
        Assert.Equal("female", s.Sex);
        Assert.Null(s.Phone);
        Assert.Equal("437 Iroquois Trail", s.HomeAddress!.Street);
        Assert.Equal("22017", s.HomeAddress.CountyFips);
        Assert.Equal("71107", s.HomeAddress.Zip);

        Assert.Equal(LocationPrecision.Point, e.Location.Precision);
        Assert.Equal(33.440, e.Location.Latitude);
        Assert.Equal(-93.973, e.Location.Longitude);
        Assert.Equal("5709 Capitol Hill Road", e.Location.StreetAddress);
        Assert.Equal("05091", e.Location.CountyFips);
        Assert.Equal("71854", e.Location.Zip);
        Assert.Equal("05091020900", e.Location.CensusTract);
        Assert.Equal("05", e.Location.State);

        var c = e.Clinical;
        Assert.Equal("2301053", c.DispatchReason);
        Assert.Equal(SubstanceClass.Opioid, c.Substance);
        Assert.Equal(["F11"], c.Impressions.Select(i => i.Code));
        Assert.Equal("eSituation.11", c.Impressions[0].Element);
        Assert.Equal(["R40.20", "R06"], c.Symptoms.Select(i => i.Code));
        Assert.Equal(3, c.Medications.Count);
        Assert.True(c.NaloxoneGiven);
        Assert.Equal(2, c.NaloxoneDoses);
        Assert.Equal(MedicationResponse.Unchanged, c.Medications[1].Response);
        Assert.Equal(MedicationResponse.Improved, c.Medications[2].Response);
        Assert.Equal(4m, c.Medications[2].Dose);
        Assert.Equal("3706021", c.Medications[2].DoseUnit);
        Assert.Equal("9927017", c.Medications[2].Route);
        Assert.Equal("9905007", c.Medications[2].AdministeredByRole);
        Assert.False(c.Medications[2].GivenPriorToEmsCare);
        Assert.Equal(new DateTimeOffset(2022, 10, 7, 22, 35, 0, TimeSpan.FromHours(-5)), c.Medications[2].AdministeredAt);
        Assert.Equal(DispositionKind.RefusedTransport, c.Disposition);
        Assert.Contains("eDisposition.30=4230009", c.DispositionCodes);
        Assert.False(c.Fatal);
        Assert.Contains(c.AbsentValues, a => a.Element == "ePatient.18" && a.Kind == "PN" && a.ReasonCode == "8801023");
        Assert.Contains(c.AbsentValues, a => a.Element == "eSituation.12" && a.Kind == "NV" && a.ReasonCode == "7701003");

        Assert.Equal("nemsis-opioid-overdose", e.Detection.DefinitionId);
        Assert.Equal("2025-12-17", e.Detection.DefinitionVersion);
        Assert.Contains(e.Detection.Evidence, v => v.Rule == "impression-regex" && v.Element == "eSituation.11" && v.Value == "F11");
        Assert.Contains(e.Detection.Evidence, v => v.Rule == "naloxone-improved" && v.Element == "eMedications.MedicationGroup[3]");
        Assert.StartsWith("Responded to overdose call", e.Narrative, StringComparison.Ordinal);
        Assert.Equal("/EMSDataSet/Header/PatientCareReport[1]", e.Provenance.Path);
        Assert.Equal(68, e.Provenance.Line);
    }

    [ExternalDataFact]
    public void Given_feed_without_keep_narrative_When_read_Then_no_narrative()
    {
        var outcome = Assert.Single(ReadFile(Case("full/2023-EMS-1-Opioid-Release_v350.xml")));

        Assert.Null(outcome.Event!.Narrative);
    }

    [ExternalDataTheory]
    [InlineData("full/2025-DEM-1_v350.xml")]
    [InlineData("full/2025-STATE-1_v351.xml")]
    public void Given_non_ems_dataset_When_read_Then_one_reject_naming_the_root(string relative)
    {
        var outcome = Assert.Single(ReadFile(Case(relative)));

        Assert.Equal(RecordOutcomeKind.Rejected, outcome.Kind);
        Assert.StartsWith("not a NEMSIS EMSDataSet", outcome.Reject!.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in (string[])["ElementsRepeat-1", "ElementsRepeat-2", "Nils-1", "Nils-2", "NoRepeat-1", "NoRepeat-2", "PNs-1", "PNs-2"])
        {
            data.Add($"EMS/EMSDataset-{name}.xml");
        }

        foreach (var name in (string[])["Extend_eMedications.08_DoesNotMapToNemsisCode", "Extend_eMedications.08_MapsToNemsisCode",
                     "Extend_eVitals.26_DoesNotMapToNemsisCode", "Extend_eVitals.26_MapsToNemsisCode", "New_Grouping_PatientRestraint"])
        {
            data.Add($"CustomElements/{name}.xml");
        }

        return data;
    }

    [ExternalDataTheory]
    [MemberData(nameof(SampleFiles))]
    public void Given_tac_sample_file_When_read_strictly_Then_read_without_error(string relative)
    {
        var path = ExternalData.PathOf("nemsis-sampledata", relative);

        var outcomes = ReadFile(path, Feed("strict", ExternalData.PathOf("nemsis-xsd", "v3.5.0")));

        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Reject);

        // None of the TAC samples contains naloxone or an opioid code (their values are random).
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcome.Kind);
    }

    [ExternalDataFact]
    public void Given_all_drug_scope_When_overdose_case_2025_is_read_Then_still_not_an_overdose()
    {
        // F19 (other psychoactive substance, no 4th character) and F10.92 (alcohol) are outside the hub's all-drug definition too.
        var outcome = Assert.Single(ReadFile(Case("full/2025-EMS-1-Overdose_v351.xml"), Feed(scope: "all-drug")));

        Assert.Equal(RecordOutcomeKind.NotOverdose, outcome.Kind);
        Assert.Equal("nemsis-all-drug-overdose@2026-11-21", outcome.Definition);
    }
}
