using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Testing.Postgres;
using Hub.Testing.RabbitMq;

namespace Hub.Host.Tests.EndToEnd;

/// <summary>
/// The foundation's promise, for real: a police CAD file dropped into a feed's inbox is claimed by content hash,
/// parsed, detected, routed by county, made into a notification under the recipient's profile, written to the
/// ledger with its outbox row, and delivered to the recipient's own queue on a real RabbitMQ node — and a copy
/// of the same file under another name is never ingested again.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class CadInboxToRecipientQueueTests(RabbitMqNode rabbit, PostgresNode postgres) : IClassFixture<PostgresNode>
{
    private static readonly string CadFile = HubUnderTest.CadFile;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Given_a_cad_file_in_the_inbox_When_the_hub_runs_Then_each_overdose_reaches_the_recipient_queue_once(string database)
    {
        var vhost = await rabbit.CreateVirtualHostAsync("e2e");
        var connection = database == "postgresql" ? (await postgres.CreateDatabaseAsync("e2e")).ConnectionString : null;
        await using var hub = HubUnderTest.Create(vhost, connection);
        var expectedOverdoses = HubUnderTest.CountOverdoseRows(CadFile);

        await hub.App.StartAsync();
        hub.Drop(CadFile, "township-pd-2026-03-14.csv");
        await hub.WaitUntilAsync(() => Directory.Exists(Path.Combine(hub.Inbox, "processed")) && Directory.EnumerateFiles(Path.Combine(hub.Inbox, "processed")).Any(), TimeSpan.FromSeconds(60));

        var received = await HubUnderTest.DrainAsync(vhost, HubUnderTest.Queue, expectedOverdoses, TimeSpan.FromSeconds(60));
        Assert.Equal(expectedOverdoses, received.Count);
        foreach (var (messageId, body) in received)
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            Assert.Equal(messageId, root.GetProperty("notificationId").GetString());
            Assert.Equal(HubUnderTest.RecipientId, root.GetProperty("recipientId").GetString());
            Assert.Equal("dsa-township-post", root.GetProperty("agreementId").GetString());
            Assert.Equal("identified-outreach", root.GetProperty("profile").GetProperty("name").GetString());
            Assert.Equal("Police", root.GetProperty("sourceKinds")[0].GetString());
        }

        // A copy under another name has the same content hash: it is recognized and set aside, never re-ingested.
        hub.Drop(CadFile, "copy-of-the-same-export.csv");
        await hub.WaitUntilAsync(() => Directory.Exists(Path.Combine(hub.Inbox, "duplicates")) && Directory.EnumerateFiles(Path.Combine(hub.Inbox, "duplicates")).Any(), TimeSpan.FromSeconds(60));
        var again = await HubUnderTest.DrainAsync(vhost, HubUnderTest.Queue, 1, TimeSpan.FromSeconds(3));
        Assert.Empty(again);

        // The ledger holds exactly one disclosure and one delivery per notification, chained.
        var ledger = hub.App.Services.GetRequiredService<ILedger>();
        var entries = new List<LedgerEntry>();
        await foreach (var entry in ledger.ReadAsync(1, CancellationToken.None))
        {
            entries.Add(entry);
        }

        Assert.Equal(expectedOverdoses, entries.Count(e => e.Content.Action == LedgerActions.Disclosed));
        await hub.WaitUntilAsync(() => HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Delivered).GetAwaiter().GetResult() == expectedOverdoses, TimeSpan.FromSeconds(30));
        Assert.Single(entries, e => e.Content.Action == LedgerActions.Received);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        }
    }
}
