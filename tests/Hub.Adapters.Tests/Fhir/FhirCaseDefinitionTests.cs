using Hub.Adapters.Fhir;
using Hub.Contracts.Model;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirCaseDefinitionTests
{
    private static Classification Classify(string scope, string system, string code, string? complaint = null, bool naloxone = false)
    {
        var classifier = FhirFeedReaderFactory.CreateClassifier(FhirTestSupport.Feed(scope));
        var codes = new List<FoundCode>();
        if (code.Length > 0)
        {
            codes.Add(new FoundCode(system, system == "ICD-10-CM" ? FhirClassifier.NormalizeIcd(code) : code, null, "Condition.code"));
        }

        var naloxoneGiven = naloxone ? new List<FoundCode> { new("RxNorm", "7242", null, "MedicationAdministration.medicationCodeableConcept") } : [];
        return classifier.Classify(codes, complaint is null ? [] : [complaint], naloxoneGiven);
    }

    [Theory]
    [InlineData("T40.0X1A", true)] // opium, accidental, initial
    [InlineData("T40.1X1A", true)] // heroin
    [InlineData("T401X2A", true)] // no dot, intentional
    [InlineData("t40.2x3a", true)] // lower case, assault
    [InlineData("T40.3X4", true)] // methadone, undetermined, 7th missing
    [InlineData("T40.4X1A", true)] // other synthetic narcotics (pre-2023)
    [InlineData("T40.411A", true)] // fentanyl
    [InlineData("T40.421A", true)] // tramadol
    [InlineData("T40.491A", true)] // other synthetic narcotics
    [InlineData("T40.601A", true)] // unspecified narcotics
    [InlineData("T40.691A", true)] // other narcotics
    [InlineData("T40.1X5A", false)] // adverse effect
    [InlineData("T40.2X6A", false)] // underdosing
    [InlineData("T40.1X1D", false)] // subsequent encounter
    [InlineData("T40.1X1S", false)] // sequela
    [InlineData("T40.5X1A", false)] // cocaine: not an opioid
    [InlineData("T40.7X1A", false)] // cannabis
    [InlineData("T40.1X", false)] // no intent character
    [InlineData("F11.20", false)] // dependence is not an overdose
    public void Given_an_ICD10CM_code_When_classified_with_opioid_scope_Then_the_DOSE_rule_decides(string code, bool overdose)
    {
        var result = Classify("opioid", "ICD-10-CM", code);
        Assert.Equal(overdose, result.IsOverdose);
        if (overdose)
        {
            Assert.Equal("cdc-dose-ed-opioid", result.Definition.Id);
            Assert.Equal(SubstanceClass.Opioid, result.Substance);
            Assert.Equal("icd-10-cm", Assert.Single(result.Evidence).Rule);
        }
    }

    [Theory]
    [InlineData("T40.5X1A", true, SubstanceClass.Stimulant)]
    [InlineData("T43.621A", true, SubstanceClass.Stimulant)]
    [InlineData("T42.4X2A", true, SubstanceClass.OtherDrug)] // benzodiazepines
    [InlineData("T50.901A", true, SubstanceClass.OtherDrug)]
    [InlineData("T50.Z11A", true, SubstanceClass.OtherDrug)]
    [InlineData("T40.1X1A", true, SubstanceClass.Opioid)]
    [InlineData("T42.4X5A", false, SubstanceClass.Unknown)]
    [InlineData("T51.0X1A", false, SubstanceClass.Unknown)] // alcohol: outside T36-T50
    public void Given_an_ICD10CM_code_When_classified_with_all_drug_scope_Then_all_drug_applies(string code, bool overdose, SubstanceClass substance)
    {
        var result = Classify("all-drug", "ICD-10-CM", code);
        Assert.Equal(overdose, result.IsOverdose);
        Assert.Equal(substance, result.Substance);
    }

    [Fact]
    public void Given_SNOMED_drug_overdose_When_classified_Then_only_all_drug_matches()
    {
        Assert.False(Classify("opioid", "SNOMED-CT", "55680006").IsOverdose);
        var all = Classify("all-drug", "SNOMED-CT", "55680006");
        Assert.True(all.IsOverdose);
        Assert.Equal("cdc-dose-ed-all-drug", all.Definition.Id);
    }

    [Fact]
    public void Given_SNOMED_morphine_overdose_When_classified_Then_opioid_matches()
    {
        var result = Classify("opioid", "SNOMED-CT", "295184007");
        Assert.True(result.IsOverdose);
        Assert.Equal("snomed-ct", result.Evidence[0].Rule);
    }

    [Fact]
    public void Given_ICD_and_SNOMED_When_ICD_is_not_an_overdose_Then_SNOMED_is_not_used()
    {
        var classifier = FhirFeedReaderFactory.CreateClassifier(FhirTestSupport.Feed());
        var result = classifier.Classify(
            [new FoundCode("ICD-10-CM", "J45.909", null, "a"), new FoundCode("SNOMED-CT", "295184007", null, "b")], [], []);
        Assert.False(result.IsOverdose);
    }

    [Theory]
    [InlineData("pt found unresponsive, OD on heroin", true)]
    [InlineData("Overdose - fentanyl", true)]
    [InlineData("possible o.d. percocet", true)]
    [InlineData("overdose", false)] // no drug term
    [InlineData("heroin use, wants detox", false)] // no overdose term
    [InlineData("ate too much food", false)]
    [InlineData("cocaine overdose", false)] // a drug, but not an opioid
    public void Given_only_a_chief_complaint_When_classified_Then_both_terms_are_needed(string complaint, bool overdose)
    {
        var result = Classify("opioid", "", "", complaint);
        Assert.Equal(overdose, result.IsOverdose);
        if (overdose)
        {
            Assert.Equal("chief-complaint", result.Evidence[0].Rule);
            Assert.DoesNotContain(complaint, result.Evidence[0].Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Given_cocaine_overdose_complaint_When_all_drug_Then_overdose()
    {
        Assert.True(Classify("all-drug", "", "", "cocaine overdose").IsOverdose);
    }

    [Fact]
    public void Given_a_code_that_does_not_match_When_a_complaint_would_Then_the_complaint_is_ignored()
    {
        Assert.False(Classify("opioid", "ICD-10-CM", "R40.20", "overdose heroin").IsOverdose);
    }

    [Fact]
    public void Given_naloxone_alone_When_classified_Then_not_an_overdose_but_evidence_when_matched()
    {
        Assert.False(Classify("opioid", "", "", null, naloxone: true).IsOverdose);
        var result = Classify("opioid", "ICD-10-CM", "T40.1X1A", null, naloxone: true);
        Assert.Contains(result.Evidence, e => e.Rule == "naloxone-administered" && e.Value == "7242");
    }

    [Fact]
    public void Given_the_naloxone_list_Then_buprenorphine_naloxone_is_not_rescue_naloxone()
    {
        var classifier = FhirFeedReaderFactory.CreateClassifier(FhirTestSupport.Feed());
        Assert.True(classifier.IsNaloxone(FhirCaseDefinitions.RxNormSystem, "7242"));
        Assert.True(classifier.IsNaloxone(FhirCaseDefinitions.RxNormSystem, "1659929"));
        Assert.False(classifier.IsNaloxone(FhirCaseDefinitions.RxNormSystem, "351267"));
        Assert.False(classifier.IsNaloxone("http://example.org/local", "7242"));
    }

    [Fact]
    public void Given_an_unknown_scope_When_creating_a_reader_Then_configuration_fails()
    {
        Assert.Throws<Hub.Adapters.Feeds.FeedConfigurationException>(() => FhirTestSupport.Reader("everything"));
    }
}
