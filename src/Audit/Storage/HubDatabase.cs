using System.Data.Common;

namespace Hub.Audit.Storage;

/// <summary>The storage engine behind a <see cref="HubDatabase"/>.</summary>
public enum DatabaseEngine
{
    /// <summary>An SQLite file (WAL, synchronous=FULL): the embedded default.</summary>
    Sqlite,

    /// <summary>PostgreSQL: production, several hub instances.</summary>
    PostgreSql,
}

/// <summary>
/// One schema on two engines. Hands out connections, creates and migrates the schema idempotently, and opens the
/// single-writer transaction in which every ledger append happens, so sequences stay gap-free across hub instances.
/// </summary>
public abstract class HubDatabase
{
    /// <summary>Sets the clock used for schema bookkeeping.</summary>
    private protected HubDatabase(TimeProvider? clock) => Clock = clock ?? TimeProvider.System;

    /// <summary>The clock of this database's writers.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Which engine this is.</summary>
    public abstract DatabaseEngine Engine { get; }

    /// <summary>Opens a connection with the engine's session settings applied.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Creates or upgrades the schema (version table <c>schema_version</c>); safe to call from every instance at start.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The highest migration this build knows.</summary>
    public static int LatestSchemaVersion => Migrations.Latest;

    /// <summary>Creates the database for the configured provider.</summary>
    public static HubDatabase Create(DatabaseOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            "sqlite" => new SqliteHubDatabase(options, clock),
            "postgresql" => new PostgresHubDatabase(options, clock),
            _ => throw new ArgumentException($"Unknown database provider '{options.Provider}'.", nameof(options)),
        };
    }

    /// <summary>Opens a connection and a transaction holding the ledger's single-writer lock.</summary>
    internal async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await BeginWriterTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            return new WriteScope(connection, transaction, Clock);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Begins a transaction that excludes every other ledger writer until it ends.</summary>
    private protected abstract Task<DbTransaction> BeginWriterTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The DDL of one migration for this engine.</summary>
    internal abstract IReadOnlyList<string> MigrationStatements(int version);
}

/// <summary>A connection plus its single-writer transaction.</summary>
internal sealed class WriteScope(DbConnection connection, DbTransaction transaction, TimeProvider clock) : IAsyncDisposable
{
    public TimeProvider Clock { get; } = clock;

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Small ADO.NET helpers shared by both engines.</summary>
internal static class Db
{
    public static DbParameter Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static DbCommand Command(this DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Timestamps are stored as microseconds since the Unix epoch, UTC, on both engines.</summary>
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
