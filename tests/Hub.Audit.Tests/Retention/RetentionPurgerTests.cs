using Hub.Audit.Ledger;
using Hub.Audit.Retention;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Retention;

public abstract class RetentionPurgerTests(ITestEngine engine) : EngineTests(engine)
{
    [Fact]
    public async Task Given_old_and_recent_deliveries_and_an_old_undelivered_row_When_purged_Then_only_old_delivered_payloads_go_and_the_ledger_stays()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        await using var db = await Engine.CreateAsync("retention", clock);
        db.AuditOptions.PayloadRetentionDays = 30;
        var old = Guid.NewGuid();
        var undelivered = Guid.NewGuid();
        var recent = Guid.NewGuid();
        await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), Drafts.Message(old, "r-1"), CancellationToken.None);
        await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-2", "r-1"), Drafts.Message(undelivered, "r-1"), CancellationToken.None);
        await db.Outbox.MarkDeliveredAsync(old, Drafts.Delivered(old, "r-1"), CancellationToken.None);
        clock.Now = start.AddDays(50);
        await db.Outbox.EnqueueAsync(Drafts.Disclosure("p-3", "r-1"), Drafts.Message(recent, "r-1"), CancellationToken.None);
        await db.Outbox.MarkDeliveredAsync(recent, Drafts.Delivered(recent, "r-1"), CancellationToken.None);
        var ledgerBefore = await db.ScalarAsync("SELECT COUNT(*) FROM ledger");

        var purger = new RetentionPurger(db.Database, db.WrappedAuditOptions, clock);
        Assert.Equal(1, await purger.PurgeAsync(CancellationToken.None));
        Assert.Equal(0, await purger.PurgeAsync(CancellationToken.None));

        Assert.Equal(0, await db.ScalarAsync($"SELECT COUNT(*) FROM outbox WHERE message_id = '{old}' AND payload IS NOT NULL"));
        Assert.Equal(1, await db.ScalarAsync($"SELECT COUNT(*) FROM outbox WHERE message_id = '{recent}' AND payload IS NOT NULL"));
        Assert.Equal(1, await db.ScalarAsync($"SELECT COUNT(*) FROM outbox WHERE message_id = '{undelivered}' AND payload IS NOT NULL"));
        Assert.Equal(undelivered, (await db.Outbox.GetPendingAsync(10, CancellationToken.None)).Single().MessageId);
        Assert.Equal(ledgerBefore, await db.ScalarAsync("SELECT COUNT(*) FROM ledger"));
        Assert.Equal(3, await db.ScalarAsync("SELECT COUNT(*) FROM ledger WHERE action = 'disclosed' AND payload_sha256 IS NOT NULL"));

        clock.Now = start.AddYears(3);
        Assert.Equal(1, await purger.PurgeAsync(CancellationToken.None)); // the recent delivery, never the undelivered row
        Assert.Equal(1, await db.ScalarAsync($"SELECT COUNT(*) FROM outbox WHERE message_id = '{undelivered}' AND payload IS NOT NULL"));
        var verified = await new LedgerVerifier(db.Ledger, db.WrappedAuditOptions).VerifyAsync(CancellationToken.None);
        Assert.True(verified.Intact, verified.Reason);
    }
}

public sealed class SqliteRetentionPurgerTests() : RetentionPurgerTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresRetentionPurgerTests(PostgresNode node) : RetentionPurgerTests(new PostgresEngine(node));
