using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Ledger;

public abstract class LedgerTests(ITestEngine engine) : EngineTests(engine)
{
    [Fact]
    public async Task Given_a_batch_When_appended_Then_sequences_are_gap_free_and_each_hash_chains_to_the_previous()
    {
        await using var db = await Engine.CreateAsync("ledger");
        var first = await db.Ledger.AppendAsync([Drafts.Event(1), Drafts.Event(2), Drafts.Event(3)], CancellationToken.None);
        var second = await db.Ledger.AppendAsync([Drafts.Event(4)], CancellationToken.None);

        Assert.Equal([1L, 2, 3], first.Select(e => e.Sequence));
        Assert.Equal(4, second[0].Sequence);
        Assert.Equal(LedgerCanonicalForm.GenesisHash, first[0].PreviousHash);
        Assert.Equal(first[2].Hash, second[0].PreviousHash);

        var stored = await db.Ledger.ReadAsync(1, CancellationToken.None).ToListAsync();
        Assert.Equal(4, stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            var entry = stored[i];
            var expectedPrevious = i == 0 ? LedgerCanonicalForm.GenesisHash : stored[i - 1].Hash;
            Assert.Equal(expectedPrevious, entry.PreviousHash);
            Assert.Equal(LedgerCanonicalForm.ComputeHash(entry.PreviousHash, entry.Sequence, Db.ToMicros(entry.TimestampUtc), entry.Content), entry.Hash);
        }

        Assert.Equal($$"""{"n":3}""", stored[2].Content.DetailsJson);
        Assert.Equal(new LedgerHead(4, second[0].Hash), await db.Ledger.GetHeadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Given_many_concurrent_callers_on_two_hub_instances_When_they_append_through_group_commit_Then_sequences_are_gap_free_and_the_chain_verifies()
    {
        await using var db = await Engine.CreateAsync("groupcommit");
        // A second hub instance: its own HubDatabase (own pool) over the same storage.
        var otherInstance = HubDatabase.Create(db.Options);
        await using var writerA = new GroupCommitLedgerWriter(db.Ledger, maxBatch: 64);
        await using var writerB = new GroupCommitLedgerWriter(new SqlLedger(otherInstance), maxBatch: 64);

        var tasks = Enumerable.Range(0, 600).Select(i => (i % 2 == 0 ? writerA : writerB).AppendAsync(Drafts.Event(i), CancellationToken.None)).ToArray();
        var entries = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), entries.Select(e => e.Sequence).Order());
        Assert.Equal(600, entries.Select(e => e.Content.CorrelationId).Distinct().Count());
        var result = await new LedgerVerifier(db.Ledger, db.WrappedAuditOptions).VerifyAsync(CancellationToken.None);
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(600, result.EntriesChecked);
        (otherInstance as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task Given_the_hub_schema_When_an_entry_is_updated_or_deleted_directly_Then_the_database_refuses()
    {
        await using var db = await Engine.CreateAsync("appendonly");
        await db.Ledger.AppendAsync([Drafts.Event(1), Drafts.Event(2)], CancellationToken.None);

        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.ExecuteAsOwnerAsync("UPDATE ledger SET actor = 'mallory' WHERE sequence = 1"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.ExecuteAsOwnerAsync("DELETE FROM ledger WHERE sequence = 2"));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        if (db.IsPostgres)
        {
            var truncate = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.ExecuteAsOwnerAsync("TRUNCATE ledger"));
            Assert.Contains("append-only", truncate.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, await db.ScalarAsync("SELECT COUNT(*) FROM ledger WHERE actor = 'hub'"));
    }

    [Fact]
    public async Task Given_a_migrated_database_When_migrated_again_Then_nothing_changes_and_the_version_is_recorded_once()
    {
        await using var db = await Engine.CreateAsync("migrate");
        await db.Ledger.AppendAsync([Drafts.Event(1)], CancellationToken.None);
        await db.Database.MigrateAsync(CancellationToken.None);
        await HubDatabase.Create(db.Options).MigrateAsync(CancellationToken.None);

        Assert.Equal(HubDatabase.LatestSchemaVersion, await db.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(HubDatabase.LatestSchemaVersion, await db.ScalarAsync("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(1, await db.ScalarAsync("SELECT COUNT(*) FROM ledger"));
    }

    [Fact]
    public async Task Given_detected_entries_When_read_since_a_time_Then_each_event_maps_to_its_newest_details()
    {
        await using var db = await Engine.CreateAsync("detected");
        await db.Ledger.AppendAsync([Drafts.Event(1), Drafts.Event(2), Drafts.Event(1) with { DetailsJson = """{"n":"update"}""" }], CancellationToken.None);
        await db.Ledger.AppendAsync([Drafts.Event(3) with { Action = LedgerActions.Received }], CancellationToken.None);

        var detected = await db.Ledger.DetectedSinceAsync(DateTimeOffset.MinValue.AddYears(1), CancellationToken.None);
        Assert.Equal(["event-1", "event-2"], detected.Keys.Order(StringComparer.Ordinal)); // event-3 has another action
        Assert.Equal(("""{"n":"update"}""", """{"n":2}"""), (detected["event-1"], detected["event-2"]));
        Assert.Empty(await db.Ledger.DetectedSinceAsync(db.Database.Clock.GetUtcNow().AddHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task Given_an_invalid_draft_When_appended_Then_it_is_refused_and_nothing_is_written()
    {
        await using var db = await Engine.CreateAsync("invalid");
        await Assert.ThrowsAsync<ArgumentException>(() => db.Ledger.AppendAsync([Drafts.Event(1), Drafts.Event(2) with { Action = " " }], CancellationToken.None));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM ledger"));
    }
}

public sealed class SqliteLedgerTests() : LedgerTests(new SqliteEngine())
{
    [Fact]
    public async Task Given_a_sqlite_database_When_opened_Then_it_runs_in_wal_with_synchronous_full()
    {
        await using var db = await Engine.CreateAsync("pragmas");
        await using var connection = await db.Database.OpenConnectionAsync(CancellationToken.None);
        await using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await journal.ExecuteScalarAsync());
        await using var sync = connection.CreateCommand();
        sync.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, (long)(await sync.ExecuteScalarAsync())!); // 2 = FULL
    }
}

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresLedgerTests(PostgresNode node) : LedgerTests(new PostgresEngine(node));
