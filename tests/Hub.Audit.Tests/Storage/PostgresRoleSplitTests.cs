using System.Data.Common;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;
using Hub.Testing.Postgres;
using Npgsql;

namespace Hub.Audit.Tests.Storage;

/// <summary>With an owner/app role split, the hub's own role cannot UPDATE, DELETE or TRUNCATE the ledger, trigger or not.</summary>
[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresRoleSplitTests(PostgresNode node)
{
    [Fact]
    public async Task Given_an_owner_and_app_role_split_When_the_app_role_changes_the_ledger_Then_permission_is_denied_even_without_triggers()
    {
        var created = await node.CreateDatabaseAsync("roles");
        var owner = created.Name + "_owner";
        var app = created.Name + "_app";
        await using (var admin = new NpgsqlConnection(created.ConnectionString))
        {
            await admin.OpenAsync();
            await using var setup = new NpgsqlCommand(
                $"CREATE ROLE {owner} LOGIN; CREATE ROLE {app} LOGIN; ALTER DATABASE {created.Name} OWNER TO {owner}; ALTER SCHEMA public OWNER TO {owner}", admin);
            await setup.ExecuteNonQueryAsync();
        }

        string As(string role) => new NpgsqlConnectionStringBuilder(created.ConnectionString) { Username = role }.ConnectionString;
        var options = new DatabaseOptions { Provider = "postgresql", ConnectionString = As(app), OwnerConnectionString = As(owner), AppRole = app };
        using var database = new PostgresHubDatabase(options);
        await database.MigrateAsync(CancellationToken.None);
        await database.MigrateAsync(CancellationToken.None); // idempotent, grants re-applied

        // The hub (app role) appends, enqueues and reads.
        var ledger = new SqlLedger(database);
        await ledger.AppendAsync([Drafts.Event(1), Drafts.Event(2)], CancellationToken.None);
        using var protector = new Hub.Audit.Outbox.PayloadProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var outbox = new Hub.Audit.Outbox.SqlOutbox(database, protector);
        var id = Guid.NewGuid();
        await outbox.EnqueueAsync(Drafts.Disclosure("p-1", "r-1"), Drafts.Message(id, "r-1"), CancellationToken.None);
        await outbox.MarkDeliveredAsync(id, Drafts.Delivered(id, "r-1"), CancellationToken.None);
        Assert.Equal(4, (await ledger.GetHeadAsync(CancellationToken.None)).Sequence);

        // It records the progress of a file being read and creates and revokes feed API keys (rows it updates).
        var progress = new SqlIntakeProgressStore(database);
        var started = DateTimeOffset.UtcNow;
        var row = new IntakeProgress("feed-1", new string('a', 64), "big.xml", "host-1", started, started, 1000, 0, 0, 0, null);
        await progress.StartAsync(row, CancellationToken.None);
        await progress.UpdateAsync(row with { BytesDone = 500, RecordsDone = 40 }, CancellationToken.None);
        await progress.FinishAsync(row with { BytesDone = 1000, RecordsDone = 80, FinishedAtUtc = DateTimeOffset.UtcNow }, CancellationToken.None);
        Assert.Equal(80, Assert.Single(await progress.ListAsync("feed-1", started.AddMinutes(-1), 10, CancellationToken.None)).RecordsDone);
        var keys = new Hub.Audit.Console.SqlFeedApiKeyStore(database);
        var key = await keys.CreateAsync("feed-1", "ehr", "alice", CancellationToken.None);
        Assert.Equal("feed-1", await keys.FeedOfKeyAsync(key.Secret, CancellationToken.None));
        Assert.True(await keys.RevokeAsync(key.Info.KeyId, "alice", CancellationToken.None));
        Assert.Null(await keys.FeedOfKeyAsync(key.Secret, CancellationToken.None));

        // It parks an event the bus did not take, counts a failed attempt, and deletes it once published.
        var parked = new Hub.Audit.Outbox.SqlParkedEventStore(database, protector);
        await parked.ParkAsync(new() { EventId = "ev-1", MessageId = Guid.NewGuid(), FeedId = "feed-1", PayloadJson = "{}", ParkedAtUtc = started }, CancellationToken.None);
        await parked.RecordFailedAttemptAsync("ev-1", "not published", CancellationToken.None);
        Assert.Equal(1, Assert.Single(await parked.GetAsync(10, CancellationToken.None)).Attempts);
        await parked.RemoveAsync("ev-1", CancellationToken.None);
        Assert.Equal(0, await parked.CountAsync(CancellationToken.None));

        // It takes over an input whose reader stopped: claim renewed, the first attempt's rejects removed.
        var intake = new SqlIntakeStore(database);
        Assert.True(await intake.TryClaimAsync("feed-1", "dd", "stopped.xml", CancellationToken.None));
        await intake.AddRejectsAsync([new StoredReject("feed-1", "stopped.xml", "dd", null, "bad", "line 2", started)], CancellationToken.None);
        Assert.Equal(TakeOverResult.TakenOver, (await intake.TryTakeOverAsync("feed-1", "dd", DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None)).Result);
        Assert.Empty(await intake.ListRejectsAsync("feed-1", 10, CancellationToken.None));

        // The owner drops the triggers: the app role is still refused by privileges.
        await using (var ownerConnection = new NpgsqlConnection(As(owner)))
        {
            await ownerConnection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TRIGGER ledger_no_update ON ledger; DROP TRIGGER ledger_no_truncate ON ledger", ownerConnection);
            await drop.ExecuteNonQueryAsync();
        }

        await using var appConnection = new NpgsqlConnection(As(app));
        await appConnection.OpenAsync();
        foreach (var sql in new[] { "UPDATE ledger SET actor = 'mallory' WHERE sequence = 1", "DELETE FROM ledger WHERE sequence = 2", "TRUNCATE ledger" })
        {
            await using var command = new NpgsqlCommand(sql, appConnection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
        }

        // A revoked key stays on record: the app role cannot delete keys.
        await using (var deleteKey = new NpgsqlCommand("DELETE FROM feed_api_keys", appConnection))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => deleteKey.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM ledger WHERE actor <> 'mallory'", appConnection);
        Assert.Equal(4L, (long)(await count.ExecuteScalarAsync())!);
    }
}
