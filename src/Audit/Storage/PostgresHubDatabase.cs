using System.Data;
using System.Data.Common;
using Npgsql;

namespace Hub.Audit.Storage;

/// <summary>
/// PostgreSQL: appends take a transaction-scoped advisory lock (one writer across all hub instances, released at
/// commit or rollback); when an owner connection and an app role are configured, the schema is created by the owner
/// and the app role gets SELECT/INSERT only on the ledger.
/// </summary>
public sealed class PostgresHubDatabase : HubDatabase, IDisposable
{
    /// <summary>The advisory lock key of the ledger writer ("HUBL").</summary>
    internal const long LedgerLockKey = 0x4855_424C;

    private const long MigrationLockKey = 0x4855_424D;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _ownerConnectionString;
    private readonly string? _appRole;

    /// <summary>Creates the database over the configured connection string(s).</summary>
    public PostgresHubDatabase(DatabaseOptions options, TimeProvider? clock = null)
        : base(clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _ownerConnectionString = string.IsNullOrWhiteSpace(options.OwnerConnectionString) ? null : options.OwnerConnectionString;
        _appRole = string.IsNullOrWhiteSpace(options.AppRole) ? null : options.AppRole;
        if (_appRole is not null && !System.Text.RegularExpressions.Regex.IsMatch(_appRole, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            throw new ArgumentException("Hub:Database:AppRole must be a lower-case PostgreSQL identifier.", nameof(options));
        }

        if (_appRole is not null && _ownerConnectionString is null)
        {
            throw new ArgumentException("Hub:Database:AppRole needs Hub:Database:OwnerConnectionString (the owner grants the app role).", nameof(options));
        }
    }

    /// <inheritdoc />
    public override DatabaseEngine Engine => DatabaseEngine.PostgreSql;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = _ownerConnectionString is null
            ? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : await OpenOwnerAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = connection.Command("SELECT pg_advisory_xact_lock(@k)"))
        {
            lockCommand.Transaction = transaction;
            lockCommand.Add("@k", MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await MigrationRunner.ApplyAsync(this, connection, transaction, cancellationToken).ConfigureAwait(false);
        if (_appRole is not null)
        {
            foreach (var sql in Grants(_appRole))
            {
                await using var grant = connection.Command(sql);
                grant.Transaction = transaction;
                await grant.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc />
    private protected override async Task<DbTransaction> BeginWriterTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var lockCommand = connection.Command("SELECT pg_advisory_xact_lock(@k)");
            lockCommand.Transaction = transaction;
            lockCommand.Add("@k", LedgerLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    internal override IReadOnlyList<string> MigrationStatements(int version) => Migrations.Postgres(version);

    private async Task<NpgsqlConnection> OpenOwnerAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_ownerConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>What the hub's role may do. The role name is validated as a plain identifier by the options.</summary>
    private static string[] Grants(string role) =>
    [
        $"GRANT USAGE ON SCHEMA public TO {role}",
        $"REVOKE ALL ON ledger FROM {role}",
        $"GRANT SELECT, INSERT ON ledger TO {role}",
        $"REVOKE ALL ON outbox FROM {role}",
        $"GRANT SELECT, INSERT, UPDATE ON outbox TO {role}",
        $"GRANT SELECT, INSERT ON file_claims, rejects, intake_summaries, intake_warnings TO {role}",
        // An input left unfinished by a stopped process is taken over: its claim renewed, the first attempt's rejects
        // and warnings removed (the input is read again from the start and records them again).
        $"GRANT UPDATE ON file_claims TO {role}",
        $"GRANT DELETE ON rejects, intake_warnings TO {role}",
        $"GRANT SELECT, INSERT ON console_users TO {role}",
        // Progress rows are updated while a file is read; API keys are revoked by update, never deleted.
        $"GRANT SELECT, INSERT, UPDATE ON intake_progress, feed_api_keys TO {role}",
        // Parked events are deleted once the bus has taken them: the one table the hub's role deletes from.
        $"GRANT SELECT, INSERT, UPDATE, DELETE ON parked_events TO {role}",
        $"GRANT SELECT ON schema_version TO {role}",
        $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ];
}
