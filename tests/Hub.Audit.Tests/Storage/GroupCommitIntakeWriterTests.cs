using System.Globalization;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Storage;

public abstract class GroupCommitIntakeWriterTests(ITestEngine engine) : EngineTests(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One pushed body: its hash and Bundle id as input keys, its events as record keys; counts follow the fresh events.</summary>
    private static IntakeCommit Push(string feed, string sha, string? bundle, IReadOnlyList<string> events, int notOverdose = 1, Action<IReadOnlyList<bool>>? seen = null) => new()
    {
        FeedId = feed,
        SourceName = "http",
        InputKeys = bundle is null ? [sha] : [sha, "bundle:" + bundle],
        RecordKeys = events.Select(e => "event:" + e).ToList(),
        Writes = isNew =>
        {
            seen?.Invoke(isNew);
            var fresh = isNew.Count(n => n);
            var rejects = notOverdose == 0
                ? new List<StoredReject> { new(feed, "http", sha, "Encounter/x", "no subject", "$.entry[0].resource.subject", T0) }
                : [];
            return new IntakeWrites(
                rejects,
                [new StoredWarning(feed, "http", sha, null, "unknown element at $.entry[1]", T0)],
                new IntakeSummary(feed, "http", sha, fresh, notOverdose, rejects.Count, T0, 1),
                new LedgerEntryDraft { Actor = feed, Action = LedgerActions.Received, FeedId = feed, CorrelationId = sha, DetailsJson = "{\"overdose\":" + fresh.ToString(CultureInfo.InvariantCulture) + "}" });
        },
    };

    [Fact]
    public async Task Given_many_concurrent_pushes_When_committed_in_groups_Then_every_input_has_its_claims_counts_and_one_verified_ledger_entry()
    {
        await using var db = await Engine.CreateAsync("intakegroup");
        await using var writer = new GroupCommitIntakeWriter(db.Database, maxBatch: 32);
        var store = new SqlIntakeStore(db.Database);

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            writer.CommitAsync(Push("ed", $"sha{i:D4}", $"b{i}", i % 3 == 0 ? [$"e{i}"] : []), CancellationToken.None)));

        Assert.All(results, r => Assert.False(r.DuplicateInput));
        Assert.Equal(100, results.Count(r => r.RecordIsNew is [true]));
        var summaries = await store.ListSummariesAsync("ed", 1000, CancellationToken.None);
        Assert.Equal(300, summaries.Count);
        Assert.Equal(100, summaries.Sum(s => s.Overdose));
        Assert.Equal(300, (await store.ListWarningsAsync("ed", 1000, CancellationToken.None)).Count);

        // Every claim was written: a later claim of the same keys through the plain store is refused.
        Assert.False(await store.TryClaimAsync("ed", "SHA0007", "http", CancellationToken.None));
        Assert.False(await store.TryClaimAsync("ed", "bundle:b7", "http", CancellationToken.None));
        Assert.False(await store.TryClaimAsync("ed", "event:e9", "http", CancellationToken.None));

        var received = new List<LedgerEntry>();
        await foreach (var entry in db.Ledger.ReadAsync(1, CancellationToken.None))
        {
            received.Add(entry);
        }

        Assert.Equal(300, received.Count(e => e.Content.Action == LedgerActions.Received));
        Assert.Equal(300, received.Select(e => e.Content.CorrelationId).Distinct().Count());
        var verified = await new LedgerVerifier(db.Ledger, db.WrappedAuditOptions).VerifyAsync(CancellationToken.None);
        Assert.True(verified.Intact, verified.Reason);
    }

    [Fact]
    public async Task Given_the_same_body_or_bundle_pushed_concurrently_When_committed_Then_exactly_one_is_stored_and_the_others_are_duplicates()
    {
        await using var db = await Engine.CreateAsync("intakedup");
        await using var writer = new GroupCommitIntakeWriter(db.Database, maxBatch: 16);
        var store = new SqlIntakeStore(db.Database);
        var called = 0;

        // Ten copies of one body, and five other bodies that reuse one Bundle id: two inputs land, thirteen are duplicates.
        var sameBody = Enumerable.Range(0, 10).Select(_ => Push("ed", "aaaa", "one", ["e1"], seen: _ => Interlocked.Increment(ref called)));
        var sameBundle = Enumerable.Range(0, 5).Select(i => Push("ed", $"other{i}", "two", ["e2"], seen: _ => Interlocked.Increment(ref called)));
        var results = await Task.WhenAll(sameBody.Concat(sameBundle).Select(c => writer.CommitAsync(c, CancellationToken.None)));

        Assert.Equal(2, results.Count(r => !r.DuplicateInput));
        Assert.All(results.Where(r => r.DuplicateInput), r => Assert.Empty(r.RecordIsNew));
        Assert.Equal(2, called);
        Assert.Equal(2, (await store.ListSummariesAsync("ed", 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Given_an_encounter_accepted_before_When_a_new_bundle_carries_it_again_Then_it_is_reported_as_not_new_and_not_counted()
    {
        await using var db = await Engine.CreateAsync("intakerecord");
        await using var writer = new GroupCommitIntakeWriter(db.Database);
        var store = new SqlIntakeStore(db.Database);

        var first = await writer.CommitAsync(Push("ed", "s1", "b1", ["e1", "e2"]), CancellationToken.None);
        var second = await writer.CommitAsync(Push("ed", "s2", "b2", ["e2", "e3"], notOverdose: 0), CancellationToken.None);

        Assert.Equal([true, true], first.RecordIsNew);
        Assert.Equal([false, true], second.RecordIsNew);
        var summaries = await store.ListSummariesAsync("ed", 10, CancellationToken.None);
        Assert.Equal(1, summaries.Single(s => s.SourceSha256 == "s2").Overdose);
        var reject = Assert.Single(await store.ListRejectsAsync("ed", 10, CancellationToken.None));
        Assert.Equal("$.entry[0].resource.subject", reject.Location);

        // Claims are per feed: the same keys on another feed are new.
        var otherFeed = await writer.CommitAsync(Push("ed-2", "s1", "b1", ["e1"]), CancellationToken.None);
        Assert.False(otherFeed.DuplicateInput);
        Assert.Equal([true], otherFeed.RecordIsNew);
    }

    [Fact]
    public async Task Given_one_input_whose_writes_fail_When_committed_with_others_Then_only_its_caller_fails_and_the_others_land()
    {
        await using var db = await Engine.CreateAsync("intakefail");
        await using var writer = new GroupCommitIntakeWriter(db.Database, maxBatch: 64);
        var store = new SqlIntakeStore(db.Database);
        var broken = Push("ed", "broken", "bx", []) is var b
            ? new IntakeCommit { FeedId = b.FeedId, SourceName = b.SourceName, InputKeys = b.InputKeys, RecordKeys = b.RecordKeys, Writes = _ => throw new InvalidOperationException("writes failed") }
            : throw new InvalidOperationException();

        var good = Enumerable.Range(0, 20).Select(i => writer.CommitAsync(Push("ed", $"g{i}", $"gb{i}", [$"ge{i}"]), CancellationToken.None)).ToList();
        var bad = writer.CommitAsync(broken, CancellationToken.None);
        good.AddRange(Enumerable.Range(20, 20).Select(i => writer.CommitAsync(Push("ed", $"g{i}", $"gb{i}", [$"ge{i}"]), CancellationToken.None)));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("writes failed", failure.Message);
        Assert.All(await Task.WhenAll(good), r => Assert.False(r.DuplicateInput));
        Assert.Equal(40, (await store.ListSummariesAsync("ed", 100, CancellationToken.None)).Count);

        // The failed input's claims were rolled back with it: the hospital's retry is accepted.
        var retry = await writer.CommitAsync(Push("ed", "broken", "bx", []), CancellationToken.None);
        Assert.False(retry.DuplicateInput);
        var verified = await new LedgerVerifier(db.Ledger, db.WrappedAuditOptions).VerifyAsync(CancellationToken.None);
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(41, verified.EntriesChecked);
    }
}

public sealed class SqliteGroupCommitIntakeWriterTests() : GroupCommitIntakeWriterTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresGroupCommitIntakeWriterTests(PostgresNode node) : GroupCommitIntakeWriterTests(new PostgresEngine(node));
