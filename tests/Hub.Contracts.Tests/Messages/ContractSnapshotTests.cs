using System.Text.Json;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using MassTransit;

namespace Hub.Contracts.Tests.Messages;

/// <summary>
/// Locks the wire format: the JSON of one sample of each contract version is compared with a committed
/// snapshot, so any contract change shows up in review as a diff of Snapshots/*.json. To accept an intended
/// change, run the tests with HUB_UPDATE_SNAPSHOTS=1 and commit the new files.
/// </summary>
public sealed class ContractSnapshotTests
{
    public static TheoryData<string, object> Samples => new()
    {
        { "OverdoseEventDetected.v1", ContractSamples.Detected1 },
        { "OverdoseNotification.v1", ContractSamples.Notification },
        { "NotificationAcknowledged.v1", ContractSamples.Acknowledged },
        { "OutreachOutcomeReported.v1", ContractSamples.Outcome },
        { "OverdoseSpikeDetected.v1", ContractSamples.Spike },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Given_a_contract_sample_When_serialized_Then_the_json_matches_its_snapshot(string name, object sample)
    {
        var json = JsonSerializer.Serialize(sample, sample.GetType(), HubJson.Indented).ReplaceLineEndings("\n") + "\n";
        var sourcePath = Path.Combine(Hub.Testing.ExternalData.RepositoryRoot, "tests", "Hub.Contracts.Tests", "Snapshots", name + ".json");

        if (Environment.GetEnvironmentVariable("HUB_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(sourcePath, json);
        }

        Assert.True(File.Exists(sourcePath), $"Snapshot {name}.json is missing; run with HUB_UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(sourcePath).ReplaceLineEndings("\n"), json);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Given_a_contract_sample_When_round_tripped_Then_it_is_equal_in_json(string name, object sample)
    {
        var json = JsonSerializer.Serialize(sample, sample.GetType(), HubJson.Options);
        var back = JsonSerializer.Deserialize(json, sample.GetType(), HubJson.Options);
        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back, sample.GetType(), HubJson.Options));
        Assert.DoesNotContain("\"kind\":0", json, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Given_the_messages_When_their_urns_are_read_Then_the_wire_names_are_pinned()
    {
        Assert.Equal("urn:message:hub:overdose-event-detected:v1", MessageUrn.ForTypeString<OverdoseEventDetected>());
        Assert.Equal("urn:message:hub:overdose-notification:v1", MessageUrn.ForTypeString<OverdoseNotification>());
        Assert.Equal("urn:message:hub:notification-acknowledged:v1", MessageUrn.ForTypeString<NotificationAcknowledged>());
        Assert.Equal("urn:message:hub:outreach-outcome-reported:v1", MessageUrn.ForTypeString<OutreachOutcomeReported>());
        Assert.Equal("urn:message:hub:overdose-spike-detected:v1", MessageUrn.ForTypeString<OverdoseSpikeDetected>());
    }

    [Fact]
    public void Given_every_contract_property_When_documentation_is_read_Then_each_says_whether_it_can_carry_phi()
    {
        var xmlPath = Path.ChangeExtension(typeof(OverdoseNotification).Assembly.Location, ".xml");
        var doc = System.Xml.Linq.XDocument.Load(xmlPath);
        var undocumented = doc.Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:Hub.Contracts.M", StringComparison.Ordinal) == true)
            .Where(m => !m.Value.Contains("PHI", StringComparison.Ordinal))
            .Select(m => (string?)m.Attribute("name"))
            .ToList();
        Assert.Empty(undocumented);
    }
}
