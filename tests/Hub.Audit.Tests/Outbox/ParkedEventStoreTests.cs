using System.Text;
using Hub.Audit.Outbox;
using Hub.Audit.Tests.Storage;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Outbox;

public abstract class ParkedEventStoreTests(ITestEngine engine) : EngineTests(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static ParkedEvent Event(string id, DateTimeOffset at, string name = "Jane Synthetic") => new()
    {
        EventId = id,
        MessageId = Guid.NewGuid(),
        FeedId = "county-ed",
        PayloadJson = $$$"""{"eventId":"{{{id}}}","subject":{"familyName":"{{{name}}}"}}""",
        ParkedAtUtc = at,
    };

    [Fact]
    public async Task Given_parked_events_When_read_Then_oldest_first_decrypted_and_a_second_park_of_one_event_keeps_the_first()
    {
        await using var db = await Engine.CreateAsync("parked");
        var store = new SqlParkedEventStore(db.Database, db.Protector);
        var later = Event("ev-2", T0.AddSeconds(5));
        var first = Event("ev-1", T0);

        Assert.True(await store.ParkAsync(later, CancellationToken.None));
        Assert.True(await store.ParkAsync(first, CancellationToken.None));
        Assert.False(await store.ParkAsync(Event("ev-1", T0.AddMinutes(1), "Someone Else"), CancellationToken.None));

        var rows = await store.GetAsync(10, CancellationToken.None);
        Assert.Equal(["ev-1", "ev-2"], rows.Select(r => r.EventId));
        Assert.Equal((first.MessageId, first.PayloadJson, T0, 0), (rows[0].MessageId, rows[0].PayloadJson, rows[0].ParkedAtUtc, rows[0].Attempts));
        Assert.Equal(["ev-1"], (await store.GetAsync(1, CancellationToken.None)).Select(r => r.EventId));
        Assert.Equal(2, await store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Given_a_parked_event_When_its_row_is_read_raw_Then_the_event_is_encrypted_under_its_message_id()
    {
        await using var db = await Engine.CreateAsync("parked-raw");
        var store = new SqlParkedEventStore(db.Database, db.Protector);
        var parked = Event("ev-9", T0);
        await store.ParkAsync(parked, CancellationToken.None);

        await using var connection = await db.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM parked_events WHERE event_id = 'ev-9'";
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        Assert.DoesNotContain("Jane Synthetic", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(parked.PayloadJson, db.Protector.Unprotect(parked.MessageId, stored));
    }

    [Fact]
    public async Task Given_failed_attempts_and_a_publish_When_recorded_Then_attempts_count_and_the_published_event_is_gone()
    {
        await using var db = await Engine.CreateAsync("parked-attempts");
        var store = new SqlParkedEventStore(db.Database, db.Protector);
        await store.ParkAsync(Event("ev-1", T0), CancellationToken.None);
        await store.ParkAsync(Event("ev-2", T0.AddSeconds(1)), CancellationToken.None);

        await store.RecordFailedAttemptAsync("ev-1", "not published", CancellationToken.None);
        await store.RecordFailedAttemptAsync("ev-1", new string('x', 2_000), CancellationToken.None);
        await store.RemoveAsync("ev-2", CancellationToken.None);

        var row = Assert.Single(await store.GetAsync(10, CancellationToken.None));
        Assert.Equal(("ev-1", 2), (row.EventId, row.Attempts));
        Assert.Equal(500, await db.ScalarAsync("SELECT LENGTH(last_error) FROM parked_events"));
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
    }
}

public sealed class SqliteParkedEventStoreTests() : ParkedEventStoreTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresParkedEventStoreTests(PostgresNode node) : ParkedEventStoreTests(new PostgresEngine(node));
