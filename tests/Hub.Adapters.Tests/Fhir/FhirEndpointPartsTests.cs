using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Adapters.Fhir.Model;
using Hub.Contracts.Model;
using Hub.Contracts.Sharing;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirEndpointPartsTests
{
    private static FhirFeedDirectory Directory()
    {
        var a = FhirTestSupport.Feed();
        a.Fhir.ApiKeySha256 = ApiKeyHash.Sha256Hex("key-a");
        var b = FhirTestSupport.Feed();
        b.Id = "ed-other";
        b.Fhir.ApiKeySha256 = ApiKeyHash.Sha256Hex("key-b");
        var cad = new FeedOptions { Id = "cad", Kind = FeedKind.Cad, AgencyId = "pd" };
        return new FhirFeedDirectory([a, b, cad], new FhirFeedReaderFactory());
    }

    [Theory]
    [InlineData(null, null, FhirAuthStatus.Unauthorized, null)]
    [InlineData("", null, FhirAuthStatus.Unauthorized, null)]
    [InlineData("wrong", null, FhirAuthStatus.Unauthorized, null)]
    [InlineData("key-a", null, FhirAuthStatus.Authenticated, "ed-test")]
    [InlineData("key-b", null, FhirAuthStatus.Authenticated, "ed-other")]
    [InlineData("key-a", "ed-test", FhirAuthStatus.Authenticated, "ed-test")]
    [InlineData("key-a", "ed-other", FhirAuthStatus.Forbidden, null)]
    public void Given_a_key_When_authenticating_Then_the_key_identifies_the_feed(string? key, string? feed, FhirAuthStatus status, string? feedId)
    {
        var result = Directory().Authenticate(key, feed);
        Assert.Equal(status, result.Status);
        Assert.Equal(feedId, result.Feed?.Id);
    }

    [Fact]
    public void Given_a_key_hash_that_is_not_hex_When_building_Then_configuration_fails()
    {
        var feed = FhirTestSupport.Feed();
        feed.Fhir.ApiKeySha256 = "not-hex";
        Assert.Throws<FeedConfigurationException>(() => new FhirFeedDirectory([feed], new FhirFeedReaderFactory()));
    }

    [Fact]
    public void Given_a_parse_error_When_answered_Then_OperationOutcome_has_the_path()
    {
        Assert.Null(FhirJson.TryParse("{\"resourceType\":\"Bundle\",\"type\":5}"u8, out var error));
        using var doc = JsonDocument.Parse(FhirOperationOutcomes.ForParseError(error!));
        Assert.Equal("OperationOutcome", doc.RootElement.GetProperty("resourceType").GetString());
        var issue = doc.RootElement.GetProperty("issue")[0];
        Assert.Equal("structure", issue.GetProperty("code").GetString());
        Assert.StartsWith("$.type", issue.GetProperty("expression")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_transaction_When_answered_Then_one_response_entry_per_request_entry()
    {
        var path = FhirTestSupport.TestData("transaction-opioid-icd.json");
        var bundle = Assert.IsType<Bundle>(FhirJson.TryParse(await File.ReadAllBytesAsync(path), out _));
        var outcomes = FhirTestSupport.Reader().ReadResource(bundle, FhirTestSupport.Source("http"));
        var json = FhirOperationOutcomes.ForBundle(bundle, outcomes, new FhirIntakeResult { Statuses = [FhirIntakeStatus.Accepted] });

        var response = Assert.IsType<Bundle>(FhirJson.TryParse(json, out _));
        Assert.Equal("transaction-response", response.Type);
        Assert.Equal(bundle.Entry!.Count, response.Entry!.Count);
        Assert.Equal("201 Created", response.Entry[1].Response!.Status);
        Assert.Equal("Encounter/ed-visit-1", response.Entry[1].Response!.Location);
        Assert.Equal("200 OK", response.Entry[0].Response!.Status);
        Assert.DoesNotContain("Testperson", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_collection_with_a_reject_When_answered_Then_OperationOutcome_lists_the_issue_with_its_path()
    {
        var bundle = new Bundle { ResourceType = "Bundle", Type = "collection" };
        var outcomes = new[] { RecordOutcome.Rejected("Encounter/e9", "Encounter.subject is missing", "Bundle.entry[1].resource.subject") };
        var json = FhirOperationOutcomes.ForBundle(bundle, outcomes, new FhirIntakeResult { Statuses = [FhirIntakeStatus.Rejected] });
        var outcome = Assert.IsType<OperationOutcome>(FhirJson.TryParse(json, out _));
        var issue = Assert.Single(outcome.Issue!);
        Assert.Equal("error", issue.Severity);
        Assert.Equal("Bundle.entry[1].resource.subject", issue.Expression![0]);
    }

    [Fact]
    public void Given_the_same_encounter_twice_Then_the_event_id_is_stable_and_feed_specific()
    {
        Assert.Equal(FhirEncounterMapper.EventIdOf("a", "Encounter/1"), FhirEncounterMapper.EventIdOf("a", "Encounter/1"));
        Assert.NotEqual(FhirEncounterMapper.EventIdOf("a", "Encounter/1"), FhirEncounterMapper.EventIdOf("b", "Encounter/1"));
        Assert.Equal(RecordOutcomeKind.Rejected, RecordOutcome.Rejected(null, "x", "y").Kind);
    }
}
