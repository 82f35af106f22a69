using System.Runtime.CompilerServices;
using Hub.Audit.Storage;

namespace Hub.Audit.Ledger;

/// <summary>The ledger on a <see cref="HubDatabase"/> (SQLite or PostgreSQL, same SQL).</summary>
public sealed class SqlLedger : ILedger
{
    private readonly HubDatabase _database;

    /// <summary>Creates the ledger over a migrated database.</summary>
    public SqlLedger(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntryDraft> drafts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        foreach (var draft in drafts)
        {
            LedgerStore.Validate(draft);
        }

        if (drafts.Count == 0)
        {
            return [];
        }

        var scope = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var entries = await LedgerStore.AppendAsync(scope, drafts, cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entries;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT " + LedgerStore.Columns + " FROM ledger WHERE sequence >= @from ORDER BY sequence");
            command.Add("@from", fromSequence);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return LedgerStore.Read(reader);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string?>> DetectedSinceAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT correlation_id, details_json FROM ledger WHERE ts >= @since AND action = 'detected' AND correlation_id IS NOT NULL ORDER BY sequence");
            command.Add("@since", Db.ToMicros(sinceUtc));
            var detected = new Dictionary<string, string?>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    detected[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
                }
            }

            return detected;
        }
    }

    /// <summary>The current head (sequence 0 and the genesis hash when empty); what a checkpoint signs.</summary>
    public async Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await LedgerStore.ReadHeadAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
