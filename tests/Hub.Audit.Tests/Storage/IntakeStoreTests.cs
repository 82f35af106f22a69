using Hub.Audit.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Storage;

public abstract class IntakeStoreTests(ITestEngine engine) : EngineTests(engine)
{
    [Fact]
    public async Task Given_two_hub_instances_When_both_claim_the_same_file_concurrently_Then_exactly_one_wins()
    {
        await using var db = await Engine.CreateAsync("claims");
        var instanceA = new SqlIntakeStore(db.Database);
        var other = HubDatabase.Create(db.Options);
        var instanceB = new SqlIntakeStore(other);
        const string sha = "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? instanceA : instanceB).TryClaimAsync("ems", sha, $"copy-{i}.xml", CancellationToken.None)));

        Assert.Equal(1, results.Count(r => r));
        Assert.False(await instanceA.TryClaimAsync("ems", sha.ToLowerInvariant(), "renamed.xml", CancellationToken.None));
        Assert.True(await instanceA.TryClaimAsync("cad", sha, "other-feed.csv", CancellationToken.None));
        (other as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task Given_rejects_and_summaries_When_listed_Then_they_come_back_newest_first_per_feed()
    {
        await using var db = await Engine.CreateAsync("intake");
        var store = new SqlIntakeStore(db.Database);
        var t0 = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        await store.AddRejectsAsync(
        [
            new StoredReject("ems", "a.xml", "aa", "PCR-1", "missing eTimes.03", "line 10, /EMSDataSet/PatientCareReport[1]", t0),
            new StoredReject("ems", "a.xml", "aa", null, "not XML", "line 1", t0.AddMinutes(1)),
            new StoredReject("cad", "b.csv", "bb", "C-9", "bad date", "line 4, column 3", t0),
        ], CancellationToken.None);
        await store.AddSummaryAsync(new IntakeSummary("ems", "a.xml", "aa", 3, 10, 2, t0, Warnings: 4), CancellationToken.None);
        await store.AddSummaryAsync(new IntakeSummary("ems", "c.xml", "cc", 1, 0, 0, t0.AddHours(1)), CancellationToken.None);

        var rejects = await store.ListRejectsAsync("ems", 10, CancellationToken.None);
        Assert.Equal(["not XML", "missing eTimes.03"], rejects.Select(r => r.Reason));
        Assert.Null(rejects[0].SourceRecordId);
        Assert.Equal(new StoredReject("ems", "a.xml", "aa", "PCR-1", "missing eTimes.03", "line 10, /EMSDataSet/PatientCareReport[1]", t0), rejects[1]);
        Assert.Single(await store.ListRejectsAsync("ems", 1, CancellationToken.None));
        var summaries = await store.ListSummariesAsync("ems", 10, CancellationToken.None);
        Assert.Equal([new IntakeSummary("ems", "c.xml", "cc", 1, 0, 0, t0.AddHours(1)), new IntakeSummary("ems", "a.xml", "aa", 3, 10, 2, t0, Warnings: 4)], summaries);
    }

    [Fact]
    public async Task Given_warnings_of_two_feeds_When_listed_Then_each_feed_gets_its_own_newest_first()
    {
        await using var db = await Engine.CreateAsync("warnings");
        var store = new SqlIntakeStore(db.Database);
        var t0 = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        await store.AddWarningsAsync(
        [
            new StoredWarning("ems", "a.xml", "aa", "PCR-1", "XSD: The element 'eScene.11' is invalid (line 40 position 7)", t0),
            new StoredWarning("ems", "a.xml", "aa", null, "eScene.11 is not a point", t0.AddMinutes(1)),
            new StoredWarning("cad", "b.csv", "bb", "C-9", "unknown disposition", t0),
        ], CancellationToken.None);

        var warnings = await store.ListWarningsAsync("ems", 10, CancellationToken.None);
        Assert.Equal(["eScene.11 is not a point", "XSD: The element 'eScene.11' is invalid (line 40 position 7)"], warnings.Select(w => w.Message));
        Assert.Equal(new StoredWarning("ems", "a.xml", "aa", "PCR-1", "XSD: The element 'eScene.11' is invalid (line 40 position 7)", t0), warnings[1]);
        Assert.Single(await store.ListWarningsAsync("ems", 1, CancellationToken.None));
        Assert.Equal("unknown disposition", Assert.Single(await store.ListWarningsAsync("cad", 10, CancellationToken.None)).Message);
    }

    [Fact]
    public async Task Given_claimed_inputs_When_taken_over_Then_only_an_unfinished_and_quiet_one_is_and_only_once()
    {
        await using var db = await Engine.CreateAsync("takeover");
        var store = new SqlIntakeStore(db.Database);
        var progress = new SqlIntakeProgressStore(db.Database);
        var now = db.Database.Clock.GetUtcNow();
        var stale = now.AddSeconds(1); // everything written so far is older than this
        foreach (var sha in new[] { "aa", "bb", "cc" })
        {
            Assert.True(await store.TryClaimAsync("ems", sha, sha + ".xml", CancellationToken.None));
        }

        // aa was read to its end; bb's reader is still writing progress; cc's reader stopped after some rejects.
        await store.AddSummaryAsync(new IntakeSummary("ems", "aa.xml", "aa", 1, 2, 0, now), CancellationToken.None);
        await progress.StartAsync(new IntakeProgress("ems", "bb", "bb.xml", "host:1", now, now.AddMinutes(5), 100, 10, 1, 1, null), CancellationToken.None);
        await progress.StartAsync(new IntakeProgress("ems", "cc", "cc.xml", "host:2", now, now, 100, 10, 1, 1, null), CancellationToken.None);
        await store.AddRejectsAsync([new StoredReject("ems", "cc.xml", "cc", "PCR-1", "no eRecord.01", "line 9", now)], CancellationToken.None);
        await store.AddWarningsAsync([new StoredWarning("ems", "cc.xml", "cc", "PCR-2", "XSD warning", now)], CancellationToken.None);

        Assert.Equal(TakeOverResult.Finished, (await store.TryTakeOverAsync("ems", "aa", stale, CancellationToken.None)).Result);
        Assert.Equal(TakeOverResult.InProgress, (await store.TryTakeOverAsync("ems", "bb", stale, CancellationToken.None)).Result);
        Assert.Equal(TakeOverResult.Finished, (await store.TryTakeOverAsync("ems", "never-claimed", stale, CancellationToken.None)).Result);
        var takenOver = await store.TryTakeOverAsync("ems", "cc", stale, CancellationToken.None);
        Assert.Equal(TakeOverResult.TakenOver, takenOver.Result);
        Assert.InRange(takenOver.FirstClaimedAtUtc!.Value, now.AddMinutes(-1), stale); // the stopped reader's claim, not the renewal

        // The first attempt's rejects and warnings are gone (the input is read again); the renewed claim is live for
        // another instance that looks now with a 60 s stall period.
        Assert.Empty(await store.ListRejectsAsync("ems", 10, CancellationToken.None));
        Assert.Empty(await store.ListWarningsAsync("ems", 10, CancellationToken.None));
        var staleNow = db.Database.Clock.GetUtcNow().AddSeconds(-60);
        Assert.Equal(TakeOverResult.InProgress, (await store.TryTakeOverAsync("ems", "cc", staleNow, CancellationToken.None)).Result);
    }
}

public sealed class SqliteIntakeStoreTests() : IntakeStoreTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresIntakeStoreTests(PostgresNode node) : IntakeStoreTests(new PostgresEngine(node));
