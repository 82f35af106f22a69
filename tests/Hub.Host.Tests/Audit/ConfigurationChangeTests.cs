using System.Text.Json;
using Hub.Audit.Ledger;

namespace Hub.Host.Tests.Audit;

/// <summary>
/// Configuration changes as ledger entries: each start of the hub digests its reviewed configuration and records a
/// <c>configuration-changed</c> entry only when the digest differs from the last one recorded. Three hubs in turn
/// share one SQLite ledger, as restarts of one installation do.
/// </summary>
public sealed class ConfigurationChangeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-config-change-").FullName;

    private Dictionary<string, string?> Settings => new() { ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "hub.db")}" };

    [Fact]
    public async Task Given_a_first_start_an_unchanged_restart_and_a_changed_agreement_Then_two_entries_the_second_naming_agreements_only()
    {
        var first = await StartAndReadAsync(Settings);
        var entry = Assert.Single(first);
        Assert.Equal("hub", entry.Content.Actor);
        Assert.Null(entry.Content.PersonPseudonym);
        using (var details = JsonDocument.Parse(entry.Content.DetailsJson!))
        {
            Assert.True(details.RootElement.GetProperty("first").GetBoolean());
            Assert.Equal(["recipients", "jurisdictions", "agreements", "feeds", "profiles"], Changed(details));
            Assert.Matches("^[0-9a-f]{64}$", details.RootElement.GetProperty("digest").GetString());
        }

        // No secret is part of the entry (the recipients' pseudonym keys are in the configuration).
        Assert.DoesNotContain(Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), entry.Content.DetailsJson!, StringComparison.Ordinal);

        var unchanged = await StartAndReadAsync(Settings);
        Assert.Equal([entry.Sequence], unchanged.Select(e => e.Sequence));

        // A new pseudonym key is a secret: not part of the reviewed configuration's digest.
        var rekeyed = Settings;
        rekeyed["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(Enumerable.Range(50, 32).Select(i => (byte)i).ToArray());
        Assert.Single(await StartAndReadAsync(rekeyed));

        var amended = Settings;
        amended["Hub:Agreements:0:ExpiresOn"] = "2027-12-31";
        var after = await StartAndReadAsync(amended);

        Assert.Equal(2, after.Count);
        Assert.Equal(entry.Sequence, after[0].Sequence);
        using var second = JsonDocument.Parse(after[1].Content.DetailsJson!);
        Assert.Equal(["agreements"], Changed(second));
        Assert.False(second.RootElement.GetProperty("first").GetBoolean());
        using var firstDetails = JsonDocument.Parse(entry.Content.DetailsJson!);
        Assert.NotEqual(firstDetails.RootElement.GetProperty("digest").GetString(), second.RootElement.GetProperty("digest").GetString());
        Assert.Equal(
            firstDetails.RootElement.GetProperty("sections").GetProperty("recipients").GetString(),
            second.RootElement.GetProperty("sections").GetProperty("recipients").GetString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string[] Changed(JsonDocument details) =>
        [.. details.RootElement.GetProperty("changed").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Starts a hub on the shared ledger, stops it, and returns the configuration entries it holds.</summary>
    private static async Task<List<LedgerEntry>> StartAndReadAsync(Dictionary<string, string?> settings)
    {
        await using var hub = AuditHub.Create(settings);
        await hub.App.StartAsync();
        return [.. (await hub.LedgerAsync()).Where(e => e.Content.Action == LedgerActions.ConfigurationChanged)];
    }
}
