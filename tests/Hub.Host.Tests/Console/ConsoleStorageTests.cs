using System.Security.Cryptography;
using Hub.Audit.Console;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Testing.Postgres;

namespace Hub.Host.Tests.Console;

/// <summary>The console's queries and accounts on both engines (schema v3): the agency filter is in the SQL.</summary>
[Trait("Category", "Integration")]
public sealed class ConsoleStorageTests(PostgresNode postgres) : IClassFixture<PostgresNode>
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Given_notifications_of_two_agencies_When_one_is_queried_Then_only_its_rows_come_back_decrypted_with_acknowledgments(string provider)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-console-db-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var connection = provider == "postgresql"
            ? (await postgres.CreateDatabaseAsync("console")).ConnectionString
            : $"Data Source={Path.Combine(folder, "hub.db")}";
        var database = HubDatabase.Create(new DatabaseOptions { Provider = provider, ConnectionString = connection });
        await database.MigrateAsync(CancellationToken.None);
        using var protector = new PayloadProtector(RandomNumberGenerator.GetBytes(32));
        var outbox = new SqlOutbox(database, protector);
        var ledger = new SqlLedger(database);
        var queries = new ConsoleQueries(database, protector);
        Guid a1 = Guid.NewGuid(), a2 = Guid.NewGuid(), b1 = Guid.NewGuid();
        foreach (var (id, recipient) in new[] { (a1, "agency-a"), (b1, "agency-b"), (a2, "agency-a") })
        {
            await outbox.EnqueueAsync(
                new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Disclosed, RecipientId = recipient, CorrelationId = id.ToString() },
                new OutboxMessage { MessageId = id, RecipientId = recipient, Channel = "inbox", Destination = "", MessageType = "t", PayloadJson = $"{{\"n\":\"{id}\"}}" },
                CancellationToken.None);
        }

        await ledger.AppendAsync([new LedgerEntryDraft { Actor = "agency-a", Action = LedgerActions.Acknowledged, RecipientId = "agency-a", CorrelationId = a1.ToString() }], CancellationToken.None);

        // An acknowledgment by another recipient for a1's id must not count as agency A's.
        await ledger.AppendAsync([new LedgerEntryDraft { Actor = "agency-b", Action = LedgerActions.Acknowledged, RecipientId = "agency-b", CorrelationId = a2.ToString() }], CancellationToken.None);

        var list = await queries.ListForRecipientAsync("agency-a", 10, CancellationToken.None);
        Assert.Equal(new[] { a2, a1 }, list.Select(n => n.MessageId));
        Assert.Equal(new[] { false, true }, list.Select(n => n.Acknowledged));
        Assert.Equal($"{{\"n\":\"{a1}\"}}", list[1].PayloadJson);
        Assert.All(list, n => Assert.Equal("agency-a", n.RecipientId));

        Assert.Null(await queries.GetForRecipientAsync("agency-a", b1, CancellationToken.None));
        Assert.Equal(b1, (await queries.GetForRecipientAsync("agency-b", b1, CancellationToken.None))!.MessageId);
        Assert.Single(await queries.ListForRecipientAsync("agency-a", 1, CancellationToken.None));

        // Spike alerts apart from notifications, by message type, still per agency.
        var spike = Guid.NewGuid();
        await outbox.EnqueueAsync(
            new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Disclosed, RecipientId = "agency-a", CorrelationId = spike.ToString() },
            new OutboxMessage { MessageId = spike, RecipientId = "agency-a", Channel = "inbox", Destination = "", MessageType = "spike", PayloadJson = "{}" },
            CancellationToken.None);
        Assert.Equal(new[] { a2, a1 }, (await queries.ListForRecipientAsync("agency-a", "spike", true, 10, CancellationToken.None)).Select(n => n.MessageId));
        var spikes = await queries.ListForRecipientAsync("agency-a", "spike", false, 10, CancellationToken.None);
        Assert.Equal(spike, Assert.Single(spikes).MessageId);
        Assert.Equal("spike", spikes[0].MessageType);
        Assert.Empty(await queries.ListForRecipientAsync("agency-b", "spike", false, 10, CancellationToken.None));

        // Feedback of a notification: the agency's own acknowledgment and outcome, not another agency's entry with the same id.
        await ledger.AppendAsync([new LedgerEntryDraft { Actor = "agency-a", Action = LedgerActions.OutcomeReported, RecipientId = "agency-a", CorrelationId = a1.ToString(), DetailsJson = "{\"outcome\":\"Contacted\"}" }], CancellationToken.None);
        await ledger.AppendAsync([new LedgerEntryDraft { Actor = "agency-b", Action = LedgerActions.OutcomeReported, RecipientId = "agency-b", CorrelationId = a1.ToString() }], CancellationToken.None);
        var feedback = await queries.FeedbackForRecipientAsync("agency-a", a1, CancellationToken.None);
        Assert.Equal(new[] { LedgerActions.Acknowledged, LedgerActions.OutcomeReported }, feedback.Select(f => f.Action));
        Assert.Equal("{\"outcome\":\"Contacted\"}", feedback[1].DetailsJson);
        Assert.Empty(await queries.FeedbackForRecipientAsync("agency-a", b1, CancellationToken.None));

        // Disclosures per recipient per week: three to agency A (two notifications and the alert), one to B.
        var now = DateTimeOffset.UtcNow;
        var weekly = await queries.DisclosuresPerWeekAsync(now.AddDays(-8), now.AddDays(1), CancellationToken.None);
        Assert.Equal(3, weekly.Where(w => w.RecipientId == "agency-a").Sum(w => w.Count));
        Assert.Equal(1, weekly.Where(w => w.RecipientId == "agency-b").Sum(w => w.Count));
        Assert.All(weekly, w => Assert.Equal(DayOfWeek.Monday, w.WeekStartUtc.DayOfWeek));
        // The database groups by week; every entry above was appended moments ago, so all fall in the current week.
        Assert.All(weekly, w => Assert.Equal(ConsoleQueries.WeekStart(DateTimeOffset.UtcNow), w.WeekStartUtc));
        Assert.Empty(await queries.DisclosuresPerWeekAsync(now.AddDays(1), now.AddDays(2), CancellationToken.None));

        var users = new ConsoleUserStore(database);
        var at = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        await users.AddAsync(new ConsoleUser("alice", "recipient", "agency-a", "hash-1", at), CancellationToken.None);
        await Assert.ThrowsAsync<ConsoleUserExistsException>(() => users.AddAsync(new ConsoleUser("alice", "hub-admin", null, "hash-2", at), CancellationToken.None));
        Assert.Equal(new ConsoleUser("alice", "recipient", "agency-a", "hash-1", at), await users.FindAsync("alice", CancellationToken.None));
        Assert.Null(await users.FindAsync("ALICE", CancellationToken.None));
    }
}
