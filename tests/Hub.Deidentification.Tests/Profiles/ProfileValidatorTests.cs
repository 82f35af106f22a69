using Hub.Deidentification.Profiles;
using Hub.Testing;

namespace Hub.Deidentification.Tests.Profiles;

public sealed class ProfileValidatorTests
{
    private static readonly string[] Lists = ["2000", "2020"];

    private static RuleFileText Broken() =>
        new("broken-profile.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Profiles", "broken-profile.json")));

    [Fact]
    public void Given_ShippedRuleFiles_When_Validated_Then_ThreeProfilesWithTheirLevels()
    {
        var catalog = ProfileCatalog.CreateEmbedded();

        Assert.Equal(["identified-outreach", "limited-data-set", "safe-harbor"], catalog.Profiles.Select(p => p.Name).Order().ToArray());
        Assert.True(catalog.TryGet("safe-harbor", out var sh));
        Assert.Equal(ProfileLevel.Deidentified, sh.Level);
        Assert.Equal("2020", catalog.Zip3ListFor(sh).Version);
        Assert.All(catalog.Profiles, p => Assert.Equal(ProfileFields.All.Count, p.Rules.Count));
    }

    [Fact]
    public void Given_BrokenRuleFile_When_Validated_Then_EveryProblemIsListed()
    {
        var ex = Assert.Throws<ProfileValidationException>(() => ProfileValidator.ValidateAll([Broken()], Lists));

        var all = string.Join("\n", ex.Problems);
        Assert.Contains("bad version 'v2-draft'", all, StringComparison.Ordinal);
        Assert.Contains("unknown field 'subject.socialSecurityNumber'", all, StringComparison.Ordinal);
        Assert.Contains("field 'subject.givenName': unknown method 'scramble'", all, StringComparison.Ordinal);
        Assert.Contains("age-band needs 'bandYears'", all, StringComparison.Ordinal);
        Assert.Contains("grid needs 'cellDegrees'", all, StringComparison.Ordinal);
        Assert.Contains("'parameters.minKeyBytes' is 16", all, StringComparison.Ordinal);
        Assert.Contains("'parameters.dateShiftMaxDays' must be between 1 and 365", all, StringComparison.Ordinal);
        Assert.Contains("unknown restricted-ZIP3 list '1990'", all, StringComparison.Ordinal);
        Assert.Contains("field 'subject.phone' has no rule", all, StringComparison.Ordinal);
        Assert.Contains("field 'subject.familyName': a de-identified profile must redact direct identifiers", all, StringComparison.Ordinal);
        Assert.Contains("field 'subject.birthDate': Safe Harbor keeps only the year", all, StringComparison.Ordinal);
        Assert.All(ex.Problems, p => Assert.StartsWith("broken-profile.json: ", p, StringComparison.Ordinal));
        Assert.True(ex.Problems.Count >= 30, $"only {ex.Problems.Count} problems");
    }

    [Fact]
    public void Given_BrokenFileAmongShippedOnes_When_CatalogCreated_Then_HubCannotStart()
    {
        var files = ProfileCatalog.EmbeddedRuleFiles().Append(Broken());

        var ex = Assert.Throws<ProfileValidationException>(() => ProfileCatalog.Create(files, "2020"));

        Assert.Contains("broken-profile.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_PseudonymizeWithoutKeySize_When_Validated_Then_MissingKeySizeReported()
    {
        var json = ProfileCatalog.EmbeddedRuleFiles().Single(f => f.Source == "identified-outreach.json").Json
            .Replace("\"minKeyBytes\": 32", "\"unusedParameter\": 1", StringComparison.Ordinal);
        var problems = new List<string>();

        Assert.Null(ProfileValidator.Validate(new RuleFileText("x.json", json), Lists, problems));
        Assert.Contains(problems, p => p.Contains("missing key size", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'unusedParameter'", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_SafeHarborKeepingHeaderTimeAndAgencies_When_Validated_Then_BothReported()
    {
        var json = ProfileCatalog.EmbeddedRuleFiles().Single(f => f.Source == "safe-harbor.json").Json
            .Replace("\"occurredAtUtc\": {\n      \"method\": \"truncate-year\"", "\"occurredAtUtc\": {\n      \"method\": \"keep\"", StringComparison.Ordinal)
            .Replace("\"sourceAgencies\": {\n      \"method\": \"redact\"", "\"sourceAgencies\": {\n      \"method\": \"keep\"", StringComparison.Ordinal);
        var problems = new List<string>();

        Assert.Null(ProfileValidator.Validate(new RuleFileText("sh.json", json), Lists, problems));
        Assert.Contains("sh.json: field 'occurredAtUtc': Safe Harbor keeps only the year of dates (found keep)", problems);
        Assert.Contains("sh.json: field 'sourceAgencies': Safe Harbor removes geography below state (found keep)", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Given_HeaderTimeRedacted_When_Validated_Then_MethodNotAccepted()
    {
        var json = ProfileCatalog.EmbeddedRuleFiles().Single(f => f.Source == "limited-data-set.json").Json
            .Replace("\"occurredAtUtc\": {\n      \"method\": \"keep\"", "\"occurredAtUtc\": {\n      \"method\": \"redact\"", StringComparison.Ordinal);
        var problems = new List<string>();

        Assert.Null(ProfileValidator.Validate(new RuleFileText("lds.json", json), Lists, problems));
        Assert.Contains(problems, p => p.Contains("field 'occurredAtUtc': unknown method 'redact' (allowed: keep, truncate-year)", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_NotJson_When_Validated_Then_OneProblemWithLine()
    {
        var problems = new List<string>();

        Assert.Null(ProfileValidator.Validate(new RuleFileText("bad.json", "{\n \"name\": }"), Lists, problems));
        Assert.Single(problems);
        Assert.Contains("not valid JSON at line 2", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_DuplicateProfileNames_When_ValidatedTogether_Then_Reported()
    {
        var sh = ProfileCatalog.EmbeddedRuleFiles().Single(f => f.Source == "safe-harbor.json");

        var ex = Assert.Throws<ProfileValidationException>(() => ProfileValidator.ValidateAll([sh, sh with { Source = "copy.json" }], Lists));

        Assert.Contains("copy.json: profile name 'safe-harbor' is defined twice", ex.Problems);
    }

    [Fact]
    public void Given_UnknownZip3ListVersion_When_CatalogCreated_Then_Reported()
    {
        var ex = Assert.Throws<ProfileValidationException>(() => ProfileCatalog.CreateEmbedded("1990"));

        Assert.Contains("unknown restricted-ZIP3 list version '1990'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_ShippedZip3Lists_When_Read_Then_2000ListMatchesDomainAndBothHaveSources()
    {
        var lists = ProfileCatalog.EmbeddedZip3Lists().ToDictionary(l => l.Version);

        Assert.Equal(
            "036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893".Split(' '),
            lists["2000"].Restricted.Order(StringComparer.Ordinal));
        Assert.All(lists.Values, l => Assert.False(string.IsNullOrWhiteSpace(l.Source)));
    }

    [Fact]
    public void Given_ShippedZip3Lists_When_Read_Then_EachListIsPinnedWithItsStatus()
    {
        var lists = ProfileCatalog.EmbeddedZip3Lists().ToDictionary(l => l.Version);
        string[] published2000 = "036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893".Split(' ');
        string[] published2010 = "036 059 102 203 205 369 556 692 821 823 878 879 884 893".Split(' ');

        Assert.Equal(["2000", "2010", "2020"], lists.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("published", "published", "computed"), (lists["2000"].Status, lists["2010"].Status, lists["2020"].Status));
        Assert.Equal(published2010, lists["2010"].Restricted.Order(StringComparer.Ordinal));
        Assert.All([lists["2000"], lists["2010"]], l => Assert.Empty(l.Unpopulated));

        // Computed from the 2020 Census DHC table P1 (Zip3PopulationsTests recomputes it from the ZCTA table).
        Assert.Equal(
            "036 059 102 202 203 204 205 369 556 692 753 772 821 823 878 879 884 893".Split(' '),
            lists["2020"].Restricted.Order(StringComparer.Ordinal));
        Assert.Equal(106, lists["2020"].Unpopulated.Count);
        Assert.Contains("DECENNIALDHC2020.P1", lists["2020"].Source, StringComparison.Ordinal);
    }

    [ExternalDataFact]
    public void Given_AnonymizerSampleConfig_When_Read_Then_Its2010ListIsThe2010Version()
    {
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(
            ExternalData.PathOf("fhir-anonymizer-testdata", "R4.CommandLineTool", "configuration-sample.json")));
        var anonymizer = config.RootElement.GetProperty("parameters").GetProperty("restrictedZipCodeTabulationAreas")
            .EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(anonymizer, ProfileCatalog.EmbeddedZip3Lists().Single(l => l.Version == "2010").Restricted.Order(StringComparer.Ordinal));
    }
}
