using Hub.Adapters.Feeds;
using Hub.Audit.Ledger;
using Hub.Contracts.Model;
using Hub.Host.Feeds;
using Hub.Host.Pipeline;

namespace Hub.Host.Tests.EndToEnd;

/// <summary>
/// Delivering the same detected event twice (a parked event whose first publish the broker took late, a redelivery)
/// changes nothing; a changed event under the same id is still an update of its episode.
/// </summary>
public sealed class RedeliveryTests
{
    [Fact]
    public async Task Given_an_event_published_twice_and_then_changed_When_processed_Then_the_copy_is_ignored_and_the_change_is_an_update()
    {
        await using var hub = HubUnderTest.Create(rabbit: null, postgresConnectionString: null);
        await hub.App.StartAsync();
        var services = hub.App.Services;
        var overdose = await FirstOverdoseAsync(services);
        var publisher = services.GetRequiredService<EventPublisher>();
        var progress = services.GetRequiredService<PipelineProgress>();

        Assert.Equal(PublishOutcome.Published, await publisher.PublishAsync(overdose, CancellationToken.None));
        await hub.WaitUntilAsync(() => progress.Processed == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(PublishOutcome.Published, await publisher.PublishAsync(overdose, CancellationToken.None));
        await hub.WaitUntilAsync(() => progress.Processed == 2, TimeSpan.FromSeconds(30));
        var ledger = services.GetRequiredService<ILedger>();
        Assert.Equal((1, 1), (await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Detected), await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Disclosed)));

        await publisher.PublishAsync(overdose with { Narrative = "Patient found by a neighbour; a second dose given." }, CancellationToken.None);
        await hub.WaitUntilAsync(() => progress.Processed == 3, TimeSpan.FromSeconds(30));
        Assert.Equal((2, 2), (await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Detected), await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Disclosed)));
    }

    /// <summary>The first overdose of the test CAD file, read by the feed's own reader.</summary>
    private static async Task<OverdoseEvent> FirstOverdoseAsync(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<FeedCatalog>();
        var reader = catalog.CreateReader(catalog.Get(HubUnderTest.FeedId));
        var sha = await IngestRun.HashFileAsync(HubUnderTest.CadFile, CancellationToken.None);
        await foreach (var outcome in IngestRun.ReadPathAsync(reader, HubUnderTest.CadFile, sha, DateTimeOffset.UtcNow, CancellationToken.None))
        {
            if (outcome is { Kind: RecordOutcomeKind.Overdose, Event: { } overdose })
            {
                return overdose;
            }
        }

        throw new InvalidOperationException("The test CAD file has no overdose row.");
    }
}
