using System.Data.Common;
using System.Security.Cryptography;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;
using Hub.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hub.Audit.Tests.Storage;

/// <summary>A clock the tests move by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Creates a fresh, migrated hub database on one engine.</summary>
public interface ITestEngine
{
    Task<TestDatabase> CreateAsync(string prefix, TimeProvider? clock = null);
}

/// <summary>SQLite files in a temp folder (WAL, synchronous=FULL, as in production).</summary>
public sealed class SqliteEngine : ITestEngine
{
    public async Task<TestDatabase> CreateAsync(string prefix, TimeProvider? clock = null)
    {
        var folder = Directory.CreateTempSubdirectory($"hub-audit-{prefix}-").FullName;
        var options = new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "hub.db")}" };
        var database = HubDatabase.Create(options, clock);
        await database.MigrateAsync(CancellationToken.None);
        return new TestDatabase(database, options, folder, async () => new SqliteConnection(options.ConnectionString));
    }
}

/// <summary>A database per caller on the shared throwaway PostgreSQL cluster (superuser = the owner who can bypass the hub).</summary>
public sealed class PostgresEngine(PostgresNode node) : ITestEngine
{
    public PostgresNode Node { get; } = node;

    public async Task<TestDatabase> CreateAsync(string prefix, TimeProvider? clock = null)
    {
        var created = await Node.CreateDatabaseAsync(prefix);
        var folder = Directory.CreateTempSubdirectory($"hub-audit-{prefix}-").FullName;
        var options = new DatabaseOptions { Provider = "postgresql", ConnectionString = created.ConnectionString };
        var database = HubDatabase.Create(options, clock);
        await database.MigrateAsync(CancellationToken.None);
        return new TestDatabase(database, options, folder, async () => new NpgsqlConnection(created.ConnectionString));
    }
}

/// <summary>A migrated database, its hub services, and a raw owner connection that bypasses the hub (for tampering).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<Task<DbConnection>> _ownerConnection;

    public TestDatabase(HubDatabase database, DatabaseOptions options, string folder, Func<Task<DbConnection>> ownerConnection)
    {
        Database = database;
        Options = options;
        Folder = folder;
        _ownerConnection = ownerConnection;
        Ledger = new SqlLedger(database);
        Protector = new PayloadProtector(RandomNumberGenerator.GetBytes(32));
        Outbox = new SqlOutbox(database, Protector);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AuditOptions = new AuditOptions
        {
            CheckpointFolder = Path.Combine(folder, "checkpoints"),
            CheckpointSigningKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
            PayloadEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
    }

    public HubDatabase Database { get; }

    public DatabaseOptions Options { get; }

    public string Folder { get; }

    public SqlLedger Ledger { get; }

    public PayloadProtector Protector { get; }

    public SqlOutbox Outbox { get; }

    public AuditOptions AuditOptions { get; }

    public IOptions<AuditOptions> WrappedAuditOptions => Microsoft.Extensions.Options.Options.Create(AuditOptions);

    public bool IsPostgres => Database.Engine == DatabaseEngine.PostgreSql;

    /// <summary>Runs SQL as the database owner, outside the hub.</summary>
    public async Task<int> ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = await _ownerConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _ownerConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Removes the append-only triggers, as an owner bypassing the hub would.</summary>
    public async Task DropLedgerTriggersAsync()
    {
        if (IsPostgres)
        {
            await ExecuteAsOwnerAsync("DROP TRIGGER ledger_no_update ON ledger; DROP TRIGGER ledger_no_truncate ON ledger");
        }
        else
        {
            await ExecuteAsOwnerAsync("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete");
        }
    }

    /// <summary>Makes every ledger insert fail, to prove the outbox fails closed.</summary>
    public async Task BreakLedgerInsertsAsync()
    {
        if (IsPostgres)
        {
            await ExecuteAsOwnerAsync(
                "CREATE FUNCTION ledger_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated ledger failure'; END $$;" +
                "CREATE TRIGGER ledger_fail BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_fail()");
        }
        else
        {
            await ExecuteAsOwnerAsync("CREATE TRIGGER ledger_fail BEFORE INSERT ON ledger BEGIN SELECT RAISE(ABORT, 'simulated ledger failure'); END");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Protector.Dispose();
        (Database as IDisposable)?.Dispose();
        if (!IsPostgres)
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }

        await Task.CompletedTask;
    }
}

/// <summary>Drafts for tests.</summary>
public static class Drafts
{
    public static LedgerEntryDraft Event(int i) => new()
    {
        Actor = "hub",
        Action = LedgerActions.Detected,
        CorrelationId = $"event-{i}",
        FeedId = "ems-county",
        DetailsJson = $$"""{"n":{{i}}}""",
    };

    public static LedgerEntryDraft Disclosure(string person, string recipient, string purpose = "outreach", string profile = "identified-outreach@2026-11-01") => new()
    {
        Actor = "hub",
        Action = LedgerActions.Disclosed,
        RecipientId = recipient,
        AgreementId = "dsa-2026-01",
        Purpose = purpose,
        LegalBasis = "45 CFR 164.512(b)",
        Profile = profile,
        PersonPseudonym = person,
        Fields = ["incident.time", "incident.location", "patient.name"],
    };

    public static LedgerEntryDraft Delivered(Guid id, string recipient) => new()
    {
        Actor = "dispatcher",
        Action = LedgerActions.Delivered,
        CorrelationId = id.ToString(),
        RecipientId = recipient,
    };

    public static OutboxMessage Message(Guid id, string recipient) => new()
    {
        MessageId = id,
        RecipientId = recipient,
        Channel = "queue",
        Destination = $"hub.notifications.{recipient}",
        MessageType = "urn:message:hub:overdose-notification:v1",
        PayloadJson = $$"""{"notificationId":"{{id}}","patient":"Jane Synthetic"}""",
    };
}
