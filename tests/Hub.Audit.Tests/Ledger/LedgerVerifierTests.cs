using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Ledger;

/// <summary>Tampering at the database level, bypassing the hub (the owner drops the triggers first), is found at its first sequence.</summary>
public abstract class LedgerVerifierTests(ITestEngine engine) : EngineTests(engine)
{
    private const int Count = 20;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Given_an_untouched_ledger_with_checkpoints_When_verified_Then_it_is_intact()
    {
        await using var db = await SeedAsync("intact");
        await db.Ledger.AppendAsync([Drafts.Event(99)], CancellationToken.None);
        await new LedgerCheckpointer(db.Ledger, db.WrappedAuditOptions, TimeProvider.System).WriteCheckpointAsync(CancellationToken.None);

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.True(result.Intact, result.Reason);
        Assert.Null(result.FirstBadSequence);
        Assert.Equal(Count + 1, result.EntriesChecked);
        Assert.Equal(2, result.CheckpointsChecked);
        Assert.Equal(Count + 1, result.LastCheckpoint!.Sequence);
    }

    [Fact]
    public async Task Given_an_edited_entry_When_verified_Then_its_sequence_is_the_first_bad()
    {
        await using var db = await SeedAsync("edit");
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync("UPDATE ledger SET recipient_id = 'someone-else' WHERE sequence = 7");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(7, result.FirstBadSequence);
        Assert.Contains("does not match its hash", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_edited_and_rehashed_entry_When_verified_Then_its_sequence_is_the_first_bad()
    {
        await using var db = await SeedAsync("rehash");
        var original = await db.Ledger.ReadAsync(7, CancellationToken.None).FirstAsync();
        var forged = original.Content with { Actor = "mallory" };
        var forgedHash = LedgerCanonicalForm.ComputeHash(original.PreviousHash, 7, Db.ToMicros(original.TimestampUtc), forged);
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync($"UPDATE ledger SET actor = 'mallory', hash = '{forgedHash}' WHERE sequence = 7");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(7, result.FirstBadSequence);
    }

    [Fact]
    public async Task Given_a_deleted_entry_When_verified_Then_its_sequence_is_the_first_bad()
    {
        await using var db = await SeedAsync("delete");
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync("DELETE FROM ledger WHERE sequence = 7");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(7, result.FirstBadSequence);
        Assert.Contains("missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_two_entries_swapped_When_verified_Then_the_earlier_position_is_the_first_bad()
    {
        await using var db = await SeedAsync("reorder");
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync("UPDATE ledger SET sequence = -1 WHERE sequence = 7");
        await db.ExecuteAsOwnerAsync("UPDATE ledger SET sequence = 7 WHERE sequence = 8");
        await db.ExecuteAsOwnerAsync("UPDATE ledger SET sequence = 8 WHERE sequence = -1");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(7, result.FirstBadSequence);
    }

    [Fact]
    public async Task Given_the_tail_truncated_after_a_checkpoint_When_verified_Then_the_first_missing_sequence_is_the_first_bad()
    {
        await using var db = await SeedAsync("truncate");
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync("DELETE FROM ledger WHERE sequence > 15");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(16, result.FirstBadSequence);
        Assert.Contains("truncated", result.Reason, StringComparison.Ordinal);
        Assert.Equal(15, result.EntriesChecked);
    }

    [Fact]
    public async Task Given_a_checkpoint_file_edited_to_hide_a_truncation_When_verified_Then_it_is_not_intact()
    {
        await using var db = await SeedAsync("forged");
        var file = Directory.GetFiles(db.AuditOptions.CheckpointFolder).Single();
        var checkpoint = JsonSerializer.Deserialize<LedgerCheckpoint>(File.ReadAllText(file), Web)!;
        var shortened = await db.Ledger.ReadAsync(10, CancellationToken.None).FirstAsync();
        File.WriteAllText(file, JsonSerializer.Serialize(checkpoint with { Sequence = 10, Hash = shortened.Hash }, Web));
        await db.DropLedgerTriggersAsync();
        await db.ExecuteAsOwnerAsync("DELETE FROM ledger WHERE sequence > 10");

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Contains("invalid signature", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.CheckpointsChecked);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4096L)]
    [InlineData(4097L)]
    [InlineData(9_001L)]
    public async Task Given_a_ledger_of_several_verification_chunks_When_one_entry_is_edited_Then_exactly_its_sequence_is_the_first_bad(long? edited)
    {
        // The verifier re-hashes in chunks of 4,096 entries while it reads the next; edits on and next to a chunk
        // boundary and deep inside a later chunk must still name their own sequence, and an untouched ledger verifies.
        const int entries = 10_000;
        await using var db = await Engine.CreateAsync("chunks");
        await db.Ledger.AppendAsync([.. Enumerable.Range(0, entries).Select(Drafts.Event)], CancellationToken.None);
        if (edited is { } sequence)
        {
            await db.DropLedgerTriggersAsync();
            await db.ExecuteAsOwnerAsync($"UPDATE ledger SET correlation_id = 'forged' WHERE sequence = {sequence}");
        }

        var result = await Verifier(db).VerifyAsync(CancellationToken.None);

        Assert.Equal(edited is null, result.Intact);
        Assert.Equal(edited, result.FirstBadSequence);
        Assert.Equal(edited ?? entries, result.EntriesChecked);
    }

    private static LedgerVerifier Verifier(TestDatabase db) => new(db.Ledger, db.WrappedAuditOptions);

    /// <summary>Twenty entries with a signed checkpoint at the head.</summary>
    private async Task<TestDatabase> SeedAsync(string prefix)
    {
        var db = await Engine.CreateAsync(prefix);
        for (var i = 0; i < Count; i += 5)
        {
            await db.Ledger.AppendAsync([.. Enumerable.Range(i, 5).Select(Drafts.Event)], CancellationToken.None);
        }

        var written = await new LedgerCheckpointer(db.Ledger, db.WrappedAuditOptions, TimeProvider.System).WriteCheckpointAsync(CancellationToken.None);
        Assert.Equal(Count, written.Checkpoint.Sequence);
        Assert.True(File.Exists(written.Path));
        return db;
    }
}

public sealed class SqliteLedgerVerifierTests() : LedgerVerifierTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresLedgerVerifierTests(PostgresNode node) : LedgerVerifierTests(new PostgresEngine(node));
