using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Host.Feeds;
using Hub.Host.Pipeline;
using Hub.Host.Tests.EndToEnd;
using Microsoft.Data.Sqlite;

namespace Hub.Host.Tests.Feeds;

/// <summary>
/// An input whose reader stopped part-way (a crash, a restart, a deployment) is not lost as a "duplicate": once its
/// claim and progress are older than the stall period it is read again from the start, and the events the stopped
/// reader had already sent through the pipeline are recognized in the ledger and not sent again.
/// </summary>
public sealed class UnfinishedInputTests
{
    [Fact]
    public async Task Given_an_input_left_unfinished_When_ingested_again_Then_it_is_read_to_its_end_and_nothing_is_disclosed_twice()
    {
        var file = Path.Combine(Path.GetTempPath(), $"township-{Guid.NewGuid():N}.csv");
        File.Copy(HubUnderTest.CadFile, file);
        var expected = HubUnderTest.CountOverdoseRows(HubUnderTest.CadFile);
        await using var first = HubUnderTest.Create(rabbit: null, postgresConnectionString: null);
        var database = Path.Combine(first.Folder, "hub.db");
        try
        {
            // A reader claimed the file and stopped before it sent anything: read again, every event goes out.
            await first.App.StartAsync();
            var feed = first.App.Services.GetRequiredService<FeedCatalog>().Get(HubUnderTest.FeedId);
            var sha = await IngestRun.HashFileAsync(file, CancellationToken.None);
            Assert.True(await first.App.Services.GetRequiredService<IIntakeStore>().TryClaimAsync(feed.Id, sha, "township.csv", CancellationToken.None));
            await AgeAsync(database, "UPDATE file_claims SET claimed_at = claimed_at - @age");

            var resumed = await first.App.Services.GetRequiredService<FeedIntake>().IngestPathAsync(feed, file, CancellationToken.None);
            Assert.Equal((PathIngestStatus.Resumed, expected), (resumed.Status, resumed.Counts!.Overdose));
            var progress = first.App.Services.GetRequiredService<PipelineProgress>();
            await first.WaitUntilAsync(() => progress.Processed == expected, TimeSpan.FromSeconds(30));
            var ledger = first.App.Services.GetRequiredService<ILedger>();
            Assert.Equal(expected, await HubUnderTest.CountLedgerAsync(ledger, LedgerActions.Disclosed));
            await first.App.StopAsync();

            // Now as if that reader had stopped after sending every event but before recording the input's counts; a
            // new hub process (nothing in memory) finds the input unfinished and reads it again.
            await AgeAsync(database, "DELETE FROM intake_summaries; UPDATE file_claims SET claimed_at = claimed_at - @age; " +
                "UPDATE intake_progress SET updated_at = updated_at - @age, finished_at = NULL");
            await using var second = HubUnderTest.Create(rabbit: null, postgresConnectionString: null, extra: new Dictionary<string, string?>
            {
                ["Hub:Database:ConnectionString"] = $"Data Source={database}",
            });
            await second.App.StartAsync();
            var again = await second.App.Services.GetRequiredService<FeedIntake>().IngestPathAsync(feed, file, CancellationToken.None);
            Assert.Equal((PathIngestStatus.Resumed, expected), (again.Status, again.Counts!.Overdose));

            // Each event was recognized by its 'detected' entry since the stopped reader's claim: counted, not sent again.
            Assert.Equal(0, second.App.Services.GetRequiredService<PipelineProgress>().Published);
            var secondLedger = second.App.Services.GetRequiredService<ILedger>();
            Assert.Equal(expected, await HubUnderTest.CountLedgerAsync(secondLedger, LedgerActions.Detected));
            Assert.Equal(expected, await HubUnderTest.CountLedgerAsync(secondLedger, LedgerActions.Disclosed));

            // Read to its end this time: the next copy is a duplicate.
            Assert.Equal(PathIngestStatus.Duplicate, (await second.App.Services.GetRequiredService<FeedIntake>().IngestPathAsync(feed, file, CancellationToken.None)).Status);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Given_a_file_another_reader_claimed_When_it_lands_in_the_inbox_Then_it_waits_and_is_read_once_that_reader_is_quiet()
    {
        await using var hub = HubUnderTest.Create(rabbit: null, postgresConnectionString: null, extra: new Dictionary<string, string?>
        {
            ["Hub:Watcher:StalledAfter"] = "00:00:03",
        });
        var expected = HubUnderTest.CountOverdoseRows(HubUnderTest.CadFile);
        await hub.App.StartAsync();
        var sha = await IngestRun.HashFileAsync(HubUnderTest.CadFile, CancellationToken.None);
        Assert.True(await hub.App.Services.GetRequiredService<IIntakeStore>().TryClaimAsync(HubUnderTest.FeedId, sha, "elsewhere.csv", CancellationToken.None));

        // Claimed by a reader that then went quiet: not a duplicate. Left in the inbox until the claim is older than
        // StalledAfter, then taken over and read to its end.
        hub.Drop(HubUnderTest.CadFile, "township-pd-2026-03-14.csv");
        var processed = Path.Combine(hub.Inbox, "processed");
        await hub.WaitUntilAsync(() => Directory.Exists(processed) && Directory.EnumerateFiles(processed).Any(), TimeSpan.FromSeconds(60));

        Assert.False(Directory.Exists(Path.Combine(hub.Inbox, "duplicates")));
        var progress = hub.App.Services.GetRequiredService<PipelineProgress>();
        await hub.WaitUntilAsync(() => progress.Processed == expected, TimeSpan.FromSeconds(30));
        Assert.Equal(expected, await HubUnderTest.CountLedgerAsync(hub.App.Services.GetRequiredService<ILedger>(), LedgerActions.Disclosed));
    }

    /// <summary>Leaves what a reader that stopped an hour ago leaves: SQL on the hub's database, <c>@age</c> one hour.</summary>
    private static async Task AgeAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@age", 3_600_000_000L);
        await command.ExecuteNonQueryAsync();
    }
}
