using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Host.Tests.EndToEnd;
using Hub.Testing.RabbitMq;

namespace Hub.Host.Tests.Feeds;

/// <summary>
/// An accepted input never loses its events to a broker that cannot take them: with the real RabbitMQ node in a memory
/// alarm (every publishing connection blocked), a CAD file is still ingested, its overdose events are parked in the
/// database, and once the alarm clears they reach the recipient's queue.
/// </summary>
[Collection(RabbitMqNode.Collection)]
[Trait("Category", "Integration")]
public sealed class ParkedEventsTests(RabbitMqNode rabbit)
{
    [Fact]
    public async Task Given_a_blocked_broker_When_a_cad_file_arrives_Then_its_events_are_parked_and_delivered_once_the_broker_takes_them()
    {
        var vhost = await rabbit.CreateVirtualHostAsync("parked");
        await using var hub = HubUnderTest.Create(vhost, null, extra: new Dictionary<string, string?>
        {
            ["Hub:Bus:PublishTimeout"] = "00:00:02",
            ["Hub:Bus:RepublishInterval"] = "00:00:01",
        });
        var expected = HubUnderTest.CountOverdoseRows(HubUnderTest.CadFile);
        var parked = hub.App.Services.GetRequiredService<IParkedEventStore>();
        var ledger = hub.App.Services.GetRequiredService<ILedger>();
        await hub.App.StartAsync();

        await rabbit.RunCtlAsync("set_vm_memory_high_watermark", "0");
        try
        {
            hub.Drop(HubUnderTest.CadFile, "township-pd-2026-03-14.csv");
            var processed = Path.Combine(hub.Inbox, "processed");
            await hub.WaitUntilAsync(() => Directory.Exists(processed) && Directory.EnumerateFiles(processed).Any(), TimeSpan.FromSeconds(120));

            // The file was read to its end and accepted; every overdose is parked, none reached the pipeline.
            Assert.Equal(expected, await parked.CountAsync(CancellationToken.None));
            Assert.Equal(0, await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Detected));
            Assert.Equal(1, await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Received));
        }
        finally
        {
            await rabbit.RunCtlAsync("set_vm_memory_high_watermark", "0.4");
        }

        // Published again: every event reaches the pipeline once and the recipient's queue once. (A publish the blocked
        // broker took late arrives twice; the pipeline recognizes the copy and ignores it.)
        await hub.WaitUntilAsync(() => parked.CountAsync(CancellationToken.None).GetAwaiter().GetResult() == 0, TimeSpan.FromSeconds(90));
        await hub.WaitUntilAsync(() => HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Detected).GetAwaiter().GetResult() == expected, TimeSpan.FromSeconds(60));
        var received = await HubUnderTest.DrainAsync(vhost, HubUnderTest.Queue, expected, TimeSpan.FromSeconds(60));
        Assert.Equal(expected, received.Count);
        Assert.Equal(expected, await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Disclosed));
    }
}
