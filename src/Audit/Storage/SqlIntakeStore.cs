using System.Data.Common;
using System.Globalization;

namespace Hub.Audit.Storage;

/// <summary>File claims, rejects and intake summaries on a <see cref="HubDatabase"/>.</summary>
/// <remarks>A claim is a row keyed by (feed, SHA-256); the primary key makes it exclusive across hub instances.</remarks>
public sealed class SqlIntakeStore : IIntakeStore
{
    private static readonly string[] RejectParameters = ["@feed", "@name", "@sha", "@record", "@reason", "@location", "@at"];
    private static readonly string[] SummaryParameters = ["@feed", "@name", "@sha", "@od", "@notod", "@rej", "@at", "@warn"];
    private static readonly string[] WarningParameters = ["@feed", "@name", "@sha", "@record", "@message", "@at"];
    private readonly HubDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqlIntakeStore(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async Task<bool> TryClaimAsync(string feedId, string sha256, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(feedId);
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        ArgumentNullException.ThrowIfNull(sourceName);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = ClaimCommand(connection, null);
            return await ClaimAsync(command, feedId, sha256, sourceName, _database.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<TakeOver> TryTakeOverAsync(string feedId, string sha256, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(feedId);
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        DateTimeOffset firstClaimed;
        var scope = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            // Finished: the input's counts exist (or it was never claimed: nothing to take over). Live: a claim or
            // progress write since staleBefore.
            await using (var check = scope.Command(
                "SELECT (SELECT COUNT(*) FROM intake_summaries WHERE feed_id = @feed AND source_sha256 = @sha) " +
                "+ (SELECT CASE WHEN EXISTS (SELECT 1 FROM file_claims WHERE feed_id = @feed AND sha256 = @sha) THEN 0 ELSE 1 END), " +
                "(SELECT COUNT(*) FROM file_claims WHERE feed_id = @feed AND sha256 = @sha AND claimed_at >= @stale) " +
                "+ (SELECT COUNT(*) FROM intake_progress WHERE feed_id = @feed AND sha256 = @lower AND updated_at >= @stale), " +
                "(SELECT claimed_at FROM file_claims WHERE feed_id = @feed AND sha256 = @sha)"))
            {
                check.Add("@feed", feedId);
                check.Add("@sha", sha256);
                check.Add("@lower", sha256.ToLowerInvariant());
                check.Add("@stale", Db.ToMicros(staleBefore));
                await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) > 0)
                {
                    return new TakeOver(TakeOverResult.Finished);
                }

                if (Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) > 0)
                {
                    return new TakeOver(TakeOverResult.InProgress);
                }

                firstClaimed = Db.FromMicros(Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
            }

            // Renew the claim and forget the stopped reader's rejects and warnings: the input is read again from the start.
            await using (var write = scope.Command(
                "UPDATE file_claims SET claimed_at = @now WHERE feed_id = @feed AND sha256 = @sha; " +
                "DELETE FROM rejects WHERE feed_id = @feed AND source_sha256 = @sha; " +
                "DELETE FROM intake_warnings WHERE feed_id = @feed AND source_sha256 = @sha"))
            {
                write.Add("@now", Db.ToMicros(scope.Clock.GetUtcNow()));
                write.Add("@feed", feedId);
                write.Add("@sha", sha256);
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new TakeOver(TakeOverResult.TakenOver, firstClaimed);
        }
    }

    /// <summary>A claim insert, bound per claim by <see cref="ClaimAsync"/>.</summary>
    internal static DbCommand ClaimCommand(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.Command(
            "INSERT INTO file_claims (feed_id, sha256, source_name, claimed_at) VALUES (@feed, @sha, @name, @at) ON CONFLICT DO NOTHING");
        command.Transaction = transaction;
        command.Add("@feed", null);
        command.Add("@sha", null);
        command.Add("@name", null);
        command.Add("@at", null);
        return command;
    }

    /// <summary>Inserts one claim; false when the key was claimed before.</summary>
    internal static async Task<bool> ClaimAsync(DbCommand command, string feedId, string key, string sourceName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        command.Parameters[0].Value = feedId;
        command.Parameters[1].Value = key.ToLowerInvariant();
        command.Parameters[2].Value = sourceName;
        command.Parameters[3].Value = Db.ToMicros(at);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task AddRejectsAsync(IReadOnlyList<StoredReject> rejects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejects);
        if (rejects.Count == 0)
        {
            return;
        }

        await InTransactionAsync((connection, transaction) => InsertRejectsAsync(connection, transaction, rejects, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts rejects inside the caller's transaction.</summary>
    internal static Task InsertRejectsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<StoredReject> rejects, CancellationToken cancellationToken) =>
        InsertRowsAsync(
            connection, transaction,
            "INSERT INTO rejects (feed_id, source_name, source_sha256, source_record_id, reason, location, recorded_at) " +
            "VALUES (@feed, @name, @sha, @record, @reason, @location, @at)",
            RejectParameters,
            rejects,
            r => [r.FeedId, r.SourceName, r.SourceSha256, r.SourceRecordId, r.Reason, r.Location, Db.ToMicros(r.RecordedAtUtc)],
            cancellationToken);

    /// <summary>Runs one write in a transaction of its own.</summary>
    private async Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts rows with one command re-bound per row (null values become SQL NULL).</summary>
    private static async Task InsertRowsAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, string[] parameterNames, IReadOnlyList<T> rows, Func<T, object?[]> valuesOf, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = connection.Command(sql);
        command.Transaction = transaction;
        var p = parameterNames.Select(n => command.Add(n, null)).ToArray();
        foreach (var row in rows)
        {
            var values = valuesOf(row);
            for (var i = 0; i < p.Length; i++)
            {
                p[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task AddWarningsAsync(IReadOnlyList<StoredWarning> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        if (warnings.Count == 0)
        {
            return;
        }

        await InTransactionAsync((connection, transaction) => InsertWarningsAsync(connection, transaction, warnings, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts warnings inside the caller's transaction.</summary>
    internal static Task InsertWarningsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<StoredWarning> warnings, CancellationToken cancellationToken) =>
        InsertRowsAsync(
            connection, transaction,
            "INSERT INTO intake_warnings (feed_id, source_name, source_sha256, source_record_id, message, recorded_at) " +
            "VALUES (@feed, @name, @sha, @record, @message, @at)",
            WarningParameters,
            warnings,
            w => [w.FeedId, w.SourceName, w.SourceSha256, w.SourceRecordId, w.Message, Db.ToMicros(w.RecordedAtUtc)],
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredWarning>> ListWarningsAsync(string feedId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT feed_id, source_name, source_sha256, source_record_id, message, recorded_at FROM intake_warnings " +
                "WHERE feed_id = @feed ORDER BY recorded_at DESC LIMIT @max");
            command.Add("@feed", feedId);
            command.Add("@max", max);
            var list = new List<StoredWarning>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new StoredWarning(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3),
                    reader.GetString(4), Db.FromMicros(reader.GetInt64(5))));
            }

            return list;
        }
    }

    /// <inheritdoc />
    public async Task AddSummaryAsync(IntakeSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = SummaryCommand(connection, null);
            await InsertSummaryAsync(command, summary, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An intake summary insert, bound per input by <see cref="InsertSummaryAsync"/>.</summary>
    internal static DbCommand SummaryCommand(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.Command(
            "INSERT INTO intake_summaries (feed_id, source_name, source_sha256, overdose, not_overdose, rejected, completed_at, warnings) " +
            "VALUES (@feed, @name, @sha, @od, @notod, @rej, @at, @warn)");
        command.Transaction = transaction;
        foreach (var name in SummaryParameters)
        {
            command.Add(name, null);
        }

        return command;
    }

    /// <summary>Inserts an input's counts with a command from <see cref="SummaryCommand"/>.</summary>
    internal static async Task InsertSummaryAsync(DbCommand command, IntakeSummary summary, CancellationToken cancellationToken)
    {
        var p = command.Parameters;
        p[0].Value = summary.FeedId;
        p[1].Value = summary.SourceName;
        p[2].Value = summary.SourceSha256;
        p[3].Value = summary.Overdose;
        p[4].Value = summary.NotOverdose;
        p[5].Value = summary.Rejected;
        p[6].Value = Db.ToMicros(summary.CompletedAtUtc);
        p[7].Value = summary.Warnings;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReject>> ListRejectsAsync(string feedId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT feed_id, source_name, source_sha256, source_record_id, reason, location, recorded_at FROM rejects " +
                "WHERE feed_id = @feed ORDER BY recorded_at DESC, id DESC LIMIT @max");
            command.Add("@feed", feedId);
            command.Add("@max", max);
            var list = new List<StoredReject>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new StoredReject(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3),
                    reader.GetString(4), reader.GetString(5), Db.FromMicros(reader.GetInt64(6))));
            }

            return list;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IntakeSummary>> ListSummariesAsync(string feedId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT feed_id, source_name, source_sha256, overdose, not_overdose, rejected, completed_at, warnings FROM intake_summaries " +
                "WHERE feed_id = @feed ORDER BY completed_at DESC, id DESC LIMIT @max");
            command.Add("@feed", feedId);
            command.Add("@max", max);
            var list = new List<IntakeSummary>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new IntakeSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.GetInt32(4), reader.GetInt32(5), Db.FromMicros(reader.GetInt64(6)), reader.GetInt32(7)));
            }

            return list;
        }
    }
}
