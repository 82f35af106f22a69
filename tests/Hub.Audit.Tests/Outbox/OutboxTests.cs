using System.Text;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Outbox;

public abstract class OutboxTests(ITestEngine engine) : EngineTests(engine)
{
    [Fact]
    public async Task Given_N_disclosures_enqueued_and_delivered_When_the_ledger_is_counted_Then_disclosures_equal_deliveries_exactly()
    {
        const int n = 60;
        await using var db = await Engine.CreateAsync("complete");
        var ids = Enumerable.Range(0, n).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(ids.Select((id, i) => db.Outbox.EnqueueAsync(Drafts.Disclosure($"person-{i % 7}", $"r-{i % 3}"), Drafts.Message(id, $"r-{i % 3}"), CancellationToken.None)));

        var delivered = new List<Guid>();
        while (true)
        {
            var pending = await db.Outbox.GetPendingAsync(25, CancellationToken.None);
            if (pending.Count == 0)
            {
                break;
            }

            foreach (var message in pending)
            {
                await db.Outbox.MarkDeliveredAsync(message.MessageId, Drafts.Delivered(message.MessageId, message.RecipientId), CancellationToken.None);
                delivered.Add(message.MessageId);
            }
        }

        Assert.Equal(ids.Order(), delivered.Order());
        Assert.Equal(n, await db.ScalarAsync("SELECT COUNT(*) FROM ledger WHERE action = 'disclosed'"));
        Assert.Equal(n, await db.ScalarAsync("SELECT COUNT(*) FROM ledger WHERE action = 'delivered'"));
        Assert.Equal(n, await db.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL"));
        // Every delivered entry names a message whose disclosure precedes it.
        Assert.Equal(n, await db.ScalarAsync(
            "SELECT COUNT(*) FROM ledger d JOIN outbox o ON o.message_id = d.correlation_id JOIN ledger s ON s.sequence = o.ledger_sequence " +
            "WHERE d.action = 'delivered' AND s.action = 'disclosed' AND s.sequence < d.sequence"));
        var verified = await new LedgerVerifier(db.Ledger, db.WrappedAuditOptions).VerifyAsync(CancellationToken.None);
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(2 * n, verified.EntriesChecked);
    }

    [Fact]
    public async Task Given_a_delivered_message_When_marked_delivered_again_Then_no_second_entry_is_appended()
    {
        await using var db = await Engine.CreateAsync("idempotent");
        var id = Guid.NewGuid();
        var disclosed = await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), Drafts.Message(id, "r-1"), CancellationToken.None);
        await db.Outbox.MarkDeliveredAsync(id, Drafts.Delivered(id, "r-1"), CancellationToken.None);
        var headAfterFirst = await db.Ledger.GetHeadAsync(CancellationToken.None);
        await db.Outbox.MarkDeliveredAsync(id, Drafts.Delivered(id, "r-1"), CancellationToken.None);

        Assert.Equal(headAfterFirst, await db.Ledger.GetHeadAsync(CancellationToken.None));
        Assert.Equal(disclosed.Sequence + 1, headAfterFirst.Sequence);
        Assert.Equal(1, await db.ScalarAsync("SELECT COUNT(*) FROM ledger WHERE action = 'delivered'"));
        Assert.NotNull(await db.Outbox.GetDeliveredAtAsync(id, CancellationToken.None));
        await Assert.ThrowsAsync<OutboxMessageNotFoundException>(() => db.Outbox.MarkDeliveredAsync(Guid.NewGuid(), Drafts.Delivered(id, "r-1"), CancellationToken.None));

        // The delivered row still names its recipient (the proof a later acknowledgment is checked against).
        Assert.Equal("r-1", await db.Outbox.RecipientOfAsync(id, CancellationToken.None));
        Assert.Null(await db.Outbox.RecipientOfAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Given_pending_rows_When_read_repeatedly_without_marking_Then_the_same_rows_return_with_stable_ids_until_marked()
    {
        await using var db = await Engine.CreateAsync("pending");
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), Drafts.Message(id, "r-1"), CancellationToken.None);
        }

        var first = await db.Outbox.GetPendingAsync(10, CancellationToken.None);
        var again = await db.Outbox.GetPendingAsync(10, CancellationToken.None);
        Assert.Equal(ids, first.Select(m => m.MessageId));
        Assert.Equal(ids, again.Select(m => m.MessageId));
        Assert.Equal(Drafts.Message(ids[0], "r-1").PayloadJson, first[0].PayloadJson);

        await db.Outbox.RecordFailedAttemptAsync(ids[0], "broker unreachable", CancellationToken.None);
        await db.Outbox.MarkDeliveredAsync(ids[1], Drafts.Delivered(ids[1], "r-1"), CancellationToken.None);
        var rest = await db.Outbox.GetPendingAsync(10, CancellationToken.None);

        Assert.Equal([ids[0], ids[2], ids[3]], rest.Select(m => m.MessageId));
        Assert.Equal(1, rest[0].Attempts);
    }

    [Fact]
    public async Task Given_the_ledger_insert_fails_When_a_disclosure_is_enqueued_Then_no_outbox_row_exists_and_nothing_is_sent()
    {
        await using var db = await Engine.CreateAsync("failclosed");
        await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), Drafts.Message(Guid.NewGuid(), "r-1"), CancellationToken.None);
        await db.BreakLedgerInsertsAsync();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => db.Outbox.EnqueueAsync(Drafts.Disclosure("p-2", "r-2"), Drafts.Message(Guid.NewGuid(), "r-2"), CancellationToken.None));

        Assert.Equal(1, await db.ScalarAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(1, await db.ScalarAsync("SELECT COUNT(*) FROM ledger"));
        Assert.Single(await db.Outbox.GetPendingAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Given_an_enqueued_message_When_its_stored_row_is_read_Then_the_payload_is_encrypted_and_its_hash_is_in_the_ledger()
    {
        await using var db = await Engine.CreateAsync("encrypted");
        var id = Guid.NewGuid();
        var message = Drafts.Message(id, "r-1");
        var entry = await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), message, CancellationToken.None);

        await using var connection = await db.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload FROM outbox WHERE message_id = '{id}'";
        var stored = (byte[])(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain("Jane Synthetic", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(message.PayloadJson, db.Protector.Unprotect(id, stored));
        Assert.Throws<System.Security.Cryptography.AuthenticationTagMismatchException>(() => db.Protector.Unprotect(Guid.NewGuid(), stored));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(message.PayloadJson))), entry.Content.PayloadSha256);
        Assert.Equal(LedgerActions.Disclosed, entry.Content.Action);
    }
}

public sealed class SqliteOutboxTests() : OutboxTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresOutboxTests(PostgresNode node) : OutboxTests(new PostgresEngine(node));
