using System.Text.Json;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;

namespace Hub.Host.Tests.Delivery;

/// <summary>
/// The JSON Schemas in docs/contracts describe the JSON the hub really writes: the contract snapshots (written by
/// the contracts' own tests with HubJson.Options) validate against them, and a broken message does not.
/// </summary>
public sealed class ContractSchemaTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "overdose-notification.v1.schema.json", "OverdoseNotification.v1.json" },
        { "notification-acknowledged.v1.schema.json", "NotificationAcknowledged.v1.json" },
        { "outreach-outcome-reported.v1.schema.json", "OutreachOutcomeReported.v1.json" },
        { "overdose-spike-detected.v1.schema.json", "OverdoseSpikeDetected.v1.json" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Given_a_contract_snapshot_When_validated_against_its_schema_Then_it_conforms(string schemaFile, string snapshotFile)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "contracts", schemaFile)));
        using var snapshot = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "Hub.Contracts.Tests", "Snapshots", snapshotFile)));

        Assert.Empty(MiniSchemaValidator.Validate(schema.RootElement, snapshot.RootElement));
    }

    [Fact]
    public void Given_an_acknowledgment_serialized_by_the_hub_When_validated_Then_it_conforms_and_a_missing_id_is_caught()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "contracts", "outreach-outcome-reported.v1.schema.json")));
        var json = JsonSerializer.Serialize(
            new OutreachOutcomeReported
            {
                NotificationId = Guid.NewGuid(),
                EpisodeId = Guid.NewGuid(),
                RecipientId = "montco-post",
                Outcome = OutreachOutcome.ReferredToTreatment,
                OccurredAtUtc = new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero),
            },
            HubJson.Options);
        using var good = JsonDocument.Parse(json);
        Assert.Empty(MiniSchemaValidator.Validate(schema.RootElement, good.RootElement));

        using var bad = JsonDocument.Parse(json.Replace("\"notificationId\"", "\"notification\"", StringComparison.Ordinal).Replace("ReferredToTreatment", "Hugged", StringComparison.Ordinal));
        var errors = MiniSchemaValidator.Validate(schema.RootElement, bad.RootElement);
        Assert.Contains(errors, e => e.Contains("'notificationId' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Hugged", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'notification' is not in the schema", StringComparison.Ordinal));
    }
}

/// <summary>The repository root (the folder holding Hub.sln), found from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Hub.sln")))
        {
            dir = dir.Parent;
        }

        // Built with --artifacts-path outside the tree: fall back to the source location of this project.
        return dir?.FullName ?? FromSource();
    }

    private static string FromSource([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, "..", "..", ".."));
}
