using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Hub.Audit.Storage;

/// <summary>
/// SQLite: WAL journal (readers never block the writer), synchronous=FULL (a committed entry survives power loss),
/// a busy timeout, and <c>BEGIN IMMEDIATE</c> as the single-writer lock, which also holds across processes on one file.
/// </summary>
public sealed class SqliteHubDatabase : HubDatabase
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <summary>Creates the database over the configured file (its folder is created when missing).</summary>
    public SqliteHubDatabase(DatabaseOptions options, TimeProvider? clock = null)
        : base(clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        _connectionString = builder.ToString();
        _busyTimeoutMs = options.BusyTimeoutMilliseconds;
    }

    /// <inheritdoc />
    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.Command(string.Create(
                CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = FULL;"));
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL"))
        {
            await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = await BeginWriterTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await MigrationRunner.ApplyAsync(this, connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    private protected override Task<DbTransaction> BeginWriterTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
        // BEGIN IMMEDIATE takes the file's RESERVED lock now, not at the first write: writers queue on the busy timeout.
        => Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <inheritdoc />
    internal override IReadOnlyList<string> MigrationStatements(int version) => Migrations.Sqlite(version);
}
