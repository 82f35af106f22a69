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

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM ledger WHERE actor <> 'mallory'", appConnection);
        Assert.Equal(4L, (long)(await count.ExecuteScalarAsync())!);
    }
}
