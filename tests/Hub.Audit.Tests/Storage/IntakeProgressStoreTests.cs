using Hub.Audit.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Storage;

public abstract class IntakeProgressStoreTests(ITestEngine engine) : EngineTests(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static IntakeProgress Row(string feed, string sha, string name, DateTimeOffset started, DateTimeOffset updated, long done, long records) =>
        new(feed, sha, name, "host-a:42", started, updated, 1_000_000, done, records, records / Math.Max(1, (updated - started).TotalSeconds), null);

    [Fact]
    public async Task Given_a_started_input_When_updated_and_finished_Then_the_row_keeps_its_start_and_carries_the_last_counts()
    {
        await using var db = await Engine.CreateAsync("progress");
        var store = new SqlIntakeProgressStore(db.Database);
        const string sha = "AB12CD34";

        await store.StartAsync(Row("ems", sha, "state-export.xml", T0, T0, 0, 0), CancellationToken.None);
        var running = Assert.Single(await store.ListAsync("ems", T0, 10, CancellationToken.None));
        Assert.Equal(new IntakeProgress("ems", "ab12cd34", "state-export.xml", "host-a:42", T0, T0, 1_000_000, 0, 0, 0, null), running);
        Assert.True(running.IsRunning);
        Assert.Equal(0, running.PercentDone);

        // An update carries a later start time by mistake: the stored start stays the first one.
        await store.UpdateAsync(Row("ems", sha, "state-export.xml", T0.AddSeconds(5), T0.AddSeconds(10), 250_000, 2_500) with { RecordsPerSecond = 250 }, CancellationToken.None);
        running = Assert.Single(await store.ListAsync("ems", T0, 10, CancellationToken.None));
        Assert.Equal(T0, running.StartedAtUtc);
        Assert.Equal(T0.AddSeconds(10), running.UpdatedAtUtc);
        Assert.Equal(2_500, running.RecordsDone);
        Assert.Equal(250_000, running.BytesDone);
        Assert.Equal(250, running.RecordsPerSecond);
        Assert.Equal(25, running.PercentDone);
        Assert.Null(running.FinishedAtUtc);

        await store.FinishAsync(Row("ems", sha, "state-export.xml", T0, T0.AddSeconds(40), 1_000_000, 10_000) with { RecordsPerSecond = 250 }, CancellationToken.None);
        var finished = Assert.Single(await store.ListAsync(null, T0, 10, CancellationToken.None));
        Assert.Equal(T0.AddSeconds(40), finished.FinishedAtUtc);
        Assert.Equal(10_000, finished.RecordsDone);
        Assert.Equal(100, finished.PercentDone);
        Assert.False(finished.IsRunning);
        Assert.False(finished.IsStalled(T0.AddHours(5), TimeSpan.FromSeconds(60)));

        // Finished before the window: no longer listed.
        Assert.Empty(await store.ListAsync("ems", T0.AddSeconds(41), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Given_running_and_finished_inputs_of_two_feeds_When_listed_Then_running_come_first_and_the_feed_filter_holds()
    {
        await using var db = await Engine.CreateAsync("progresslist");
        var store = new SqlIntakeProgressStore(db.Database);
        await store.StartAsync(Row("ems", "aa", "old-running.xml", T0, T0.AddSeconds(2), 10, 1), CancellationToken.None);
        await store.StartAsync(Row("ems", "bb", "finished.xml", T0.AddMinutes(1), T0.AddMinutes(1), 0, 0), CancellationToken.None);
        await store.FinishAsync(Row("ems", "bb", "finished.xml", T0.AddMinutes(1), T0.AddMinutes(2), 1_000_000, 7), CancellationToken.None);
        await store.StartAsync(Row("ems", "cc", "new-running.xml", T0.AddMinutes(3), T0.AddMinutes(3), 0, 0), CancellationToken.None);
        await store.UpdateAsync(Row("cad", "dd", "cad.csv", T0, T0.AddMinutes(4), 5, 5), CancellationToken.None);

        var ems = await store.ListAsync("ems", T0, 10, CancellationToken.None);
        Assert.Equal(["new-running.xml", "old-running.xml", "finished.xml"], ems.Select(p => p.SourceName));
        Assert.Equal(["cad.csv"], (await store.ListAsync("cad", T0, 10, CancellationToken.None)).Select(p => p.SourceName));
        Assert.Equal(4, (await store.ListAsync(null, T0, 10, CancellationToken.None)).Count);
        Assert.Equal(2, (await store.ListAsync(null, T0, 2, CancellationToken.None)).Count);

        // Not updated for 58 minutes and not finished: stalled.
        var old = ems[1];
        Assert.True(old.IsStalled(T0.AddHours(1), TimeSpan.FromSeconds(60)));
        Assert.False(old.IsStalled(T0.AddSeconds(30), TimeSpan.FromSeconds(60)));

        // A restart of the same input replaces its row and clears the finish.
        await store.StartAsync(Row("ems", "bb", "finished.xml", T0.AddMinutes(10), T0.AddMinutes(10), 0, 0), CancellationToken.None);
        var restarted = (await store.ListAsync("ems", T0.AddHours(1), 10, CancellationToken.None)).Single(p => p.Sha256 == "bb");
        Assert.Null(restarted.FinishedAtUtc);
        Assert.Equal(T0.AddMinutes(10), restarted.StartedAtUtc);
        Assert.Equal(0, restarted.RecordsDone);
    }
}

public sealed class SqliteIntakeProgressStoreTests() : IntakeProgressStoreTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresIntakeProgressStoreTests(PostgresNode node) : IntakeProgressStoreTests(new PostgresEngine(node));
