using System.Data.Common;

namespace Hub.Audit.Storage;

/// <summary>Applies the migrations above the recorded version, inside the caller's (locked) transaction.</summary>
internal static class MigrationRunner
{
    public static async Task<int> ApplyAsync(HubDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var create = connection.Command(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL, description TEXT NOT NULL)"))
        {
            create.Transaction = transaction;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long current;
        await using (var read = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        {
            read.Transaction = transaction;
            current = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        var applied = 0;
        for (var version = (int)current + 1; version <= Migrations.Latest; version++)
        {
            foreach (var sql in database.MigrationStatements(version))
            {
                await using var command = connection.Command(sql);
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var record = connection.Command("INSERT INTO schema_version (version, applied_at, description) VALUES (@v, @at, @d)");
            record.Transaction = transaction;
            record.Add("@v", version);
            record.Add("@at", Db.ToMicros(database.Clock.GetUtcNow()));
            record.Add("@d", $"hub schema v{version}");
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }
}
