namespace Hub.Audit.Storage;

/// <summary>File claims, rejects and intake summaries on a <see cref="HubDatabase"/>.</summary>
/// <remarks>A claim is a row keyed by (feed, SHA-256); the primary key makes it exclusive across hub instances.</remarks>
public sealed class SqlIntakeStore : IIntakeStore
{
    private static readonly string[] RejectParameters = ["@feed", "@name", "@sha", "@record", "@reason", "@location", "@at"];
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
            await using var command = connection.Command(
                "INSERT INTO file_claims (feed_id, sha256, source_name, claimed_at) VALUES (@feed, @sha, @name, @at) ON CONFLICT DO NOTHING");
            command.Add("@feed", feedId);
            command.Add("@sha", sha256.ToLowerInvariant());
            command.Add("@name", sourceName);
            command.Add("@at", Db.ToMicros(_database.Clock.GetUtcNow()));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task AddRejectsAsync(IReadOnlyList<StoredReject> rejects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejects);
        if (rejects.Count == 0)
        {
            return;
        }

        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.Command(
                "INSERT INTO rejects (feed_id, source_name, source_sha256, source_record_id, reason, location, recorded_at) " +
                "VALUES (@feed, @name, @sha, @record, @reason, @location, @at)");
            command.Transaction = transaction;
            var p = RejectParameters.Select(n => command.Add(n, null)).ToArray();
            foreach (var reject in rejects)
            {
                p[0].Value = reject.FeedId;
                p[1].Value = reject.SourceName;
                p[2].Value = reject.SourceSha256;
                p[3].Value = (object?)reject.SourceRecordId ?? DBNull.Value;
                p[4].Value = reject.Reason;
                p[5].Value = reject.Location;
                p[6].Value = Db.ToMicros(reject.RecordedAtUtc);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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

        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.Command(
                "INSERT INTO intake_warnings (feed_id, source_name, source_sha256, source_record_id, message, recorded_at) " +
                "VALUES (@feed, @name, @sha, @record, @message, @at)");
            command.Transaction = transaction;
            var p = WarningParameters.Select(n => command.Add(n, null)).ToArray();
            foreach (var warning in warnings)
            {
                p[0].Value = warning.FeedId;
                p[1].Value = warning.SourceName;
                p[2].Value = warning.SourceSha256;
                p[3].Value = (object?)warning.SourceRecordId ?? DBNull.Value;
                p[4].Value = warning.Message;
                p[5].Value = Db.ToMicros(warning.RecordedAtUtc);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

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
            await using var command = connection.Command(
                "INSERT INTO intake_summaries (feed_id, source_name, source_sha256, overdose, not_overdose, rejected, completed_at, warnings) " +
                "VALUES (@feed, @name, @sha, @od, @notod, @rej, @at, @warn)");
            command.Add("@feed", summary.FeedId);
            command.Add("@name", summary.SourceName);
            command.Add("@sha", summary.SourceSha256);
            command.Add("@od", summary.Overdose);
            command.Add("@notod", summary.NotOverdose);
            command.Add("@rej", summary.Rejected);
            command.Add("@at", Db.ToMicros(summary.CompletedAtUtc));
            command.Add("@warn", summary.Warnings);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
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
