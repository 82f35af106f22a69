using System.Data.Common;

namespace Hub.Audit.Storage;

/// <summary>Intake progress rows on a <see cref="HubDatabase"/> (SQLite or PostgreSQL: both take the same upsert).</summary>
/// <remarks>Times are microseconds since the Unix epoch, as in every hub table.</remarks>
public sealed class SqlIntakeProgressStore : IIntakeProgressStore
{
    private const string Columns =
        "feed_id, sha256, source_name, instance, started_at, updated_at, bytes_total, bytes_done, records_done, records_per_second, finished_at";

    private const string Insert =
        "INSERT INTO intake_progress (" + Columns + ") VALUES (@feed, @sha, @name, @instance, @started, @updated, @total, @done, @records, @rate, @finished) " +
        "ON CONFLICT (feed_id, sha256) DO UPDATE SET ";

    // A start replaces an older row of the same input (a re-read after its claim was released).
    private const string StartSql = Insert +
        "source_name = excluded.source_name, instance = excluded.instance, started_at = excluded.started_at, updated_at = excluded.updated_at, " +
        "bytes_total = excluded.bytes_total, bytes_done = excluded.bytes_done, records_done = excluded.records_done, " +
        "records_per_second = excluded.records_per_second, finished_at = NULL";

    // An update or a finish keeps the row's start time.
    private const string ProgressSql = Insert +
        "source_name = excluded.source_name, instance = excluded.instance, updated_at = excluded.updated_at, " +
        "bytes_total = excluded.bytes_total, bytes_done = excluded.bytes_done, records_done = excluded.records_done, " +
        "records_per_second = excluded.records_per_second, finished_at = excluded.finished_at";

    private const string Order = " ORDER BY CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, started_at DESC, source_name LIMIT @max";

    private readonly HubDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqlIntakeProgressStore(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task StartAsync(IntakeProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return WriteAsync(StartSql, progress with { FinishedAtUtc = null }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateAsync(IntakeProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return WriteAsync(ProgressSql, progress with { FinishedAtUtc = null }, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinishAsync(IntakeProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return WriteAsync(ProgressSql, progress with { FinishedAtUtc = progress.FinishedAtUtc ?? progress.UpdatedAtUtc }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntakeProgress>> ListAsync(string? feedId, DateTimeOffset finishedSinceUtc, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Two statements rather than "@feed IS NULL OR ...": PostgreSQL cannot type an untyped null parameter.
            await using var command = connection.Command(feedId is null
                ? "SELECT " + Columns + " FROM intake_progress WHERE (finished_at IS NULL OR finished_at >= @since)" + Order
                : "SELECT " + Columns + " FROM intake_progress WHERE feed_id = @feed AND (finished_at IS NULL OR finished_at >= @since)" + Order);
            if (feedId is not null)
            {
                command.Add("@feed", feedId);
            }

            command.Add("@since", Db.ToMicros(finishedSinceUtc));
            command.Add("@max", max);
            var list = new List<IntakeProgress>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(Read(reader));
            }

            return list;
        }
    }

    private static IntakeProgress Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        Db.FromMicros(reader.GetInt64(4)),
        Db.FromMicros(reader.GetInt64(5)),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetDouble(9),
        reader.NullableInt64(10) is { } finished ? Db.FromMicros(finished) : null);

    private async Task WriteAsync(string sql, IntakeProgress progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(progress.FeedId);
        ArgumentException.ThrowIfNullOrEmpty(progress.Sha256);
        ArgumentNullException.ThrowIfNull(progress.SourceName);
        ArgumentNullException.ThrowIfNull(progress.Instance);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(sql);
            command.Add("@feed", progress.FeedId);
            command.Add("@sha", progress.Sha256.ToLowerInvariant());
            command.Add("@name", progress.SourceName);
            command.Add("@instance", progress.Instance);
            command.Add("@started", Db.ToMicros(progress.StartedAtUtc));
            command.Add("@updated", Db.ToMicros(progress.UpdatedAtUtc));
            command.Add("@total", Math.Max(0, progress.BytesTotal));
            command.Add("@done", Math.Max(0, progress.BytesDone));
            command.Add("@records", Math.Max(0, progress.RecordsDone));
            command.Add("@rate", double.IsFinite(progress.RecordsPerSecond) ? Math.Max(0, progress.RecordsPerSecond) : 0d);
            var finished = command.Add("@finished", progress.FinishedAtUtc is { } at ? Db.ToMicros(at) : null);
            if (progress.FinishedAtUtc is null)
            {
                // A typed null: PostgreSQL must know the parameter is a BIGINT even when it carries no value.
                finished.DbType = System.Data.DbType.Int64;
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
