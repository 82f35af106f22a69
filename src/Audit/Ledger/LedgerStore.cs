using System.Data.Common;
using System.Text.Json;
using Hub.Audit.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Hub.Audit.Ledger;

/// <summary>The head of the chain: the last sequence and its hash (0 and the genesis hash when empty).</summary>
/// <param name="Sequence">The last sequence number.</param>
/// <param name="Hash">Its hash.</param>
public sealed record LedgerHead(long Sequence, string Hash);

/// <summary>The SQL of the ledger, shared by both engines; callers hold the single-writer transaction.</summary>
internal static class LedgerStore
{
    public const string Columns =
        "sequence, ts, actor, action, correlation_id, feed_id, recipient_id, agreement_id, purpose, legal_basis, profile, person_pseudonym, fields, payload_sha256, details_json, prev_hash, hash";

    private const string InsertSql =
        "INSERT INTO ledger (" + Columns + ") VALUES (@sequence, @ts, @actor, @action, @correlation_id, @feed_id, @recipient_id, @agreement_id, @purpose, @legal_basis, @profile, @person_pseudonym, @fields, @payload_sha256, @details_json, @prev_hash, @hash)";

    private const string CopySql = "COPY ledger (" + Columns + ") FROM STDIN (FORMAT BINARY)";

    private static readonly string[] ParameterNames =
    [
        "@sequence", "@ts", "@actor", "@action", "@correlation_id", "@feed_id", "@recipient_id", "@agreement_id", "@purpose",
        "@legal_basis", "@profile", "@person_pseudonym", "@fields", "@payload_sha256", "@details_json", "@prev_hash", "@hash",
    ];

    public static void Validate(LedgerEntryDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrWhiteSpace(draft.Actor, nameof(draft));
        ArgumentException.ThrowIfNullOrWhiteSpace(draft.Action, nameof(draft));
        ArgumentNullException.ThrowIfNull(draft.Fields, nameof(draft));
        if (draft.Fields.Any(f => f is null))
        {
            throw new ArgumentException("A ledger entry's field list cannot hold null.", nameof(draft));
        }
    }

    public static async Task<LedgerHead> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT sequence, hash FROM ledger ORDER BY sequence DESC LIMIT 1");
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LedgerHead(reader.GetInt64(0), reader.GetString(1))
            : new LedgerHead(0, LedgerCanonicalForm.GenesisHash);
    }

    /// <summary>Chains the drafts onto the head (read under the writer lock) and inserts them.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> AppendAsync(WriteScope scope, IReadOnlyList<LedgerEntryDraft> drafts, CancellationToken cancellationToken)
    {
        var entries = Chain(await ReadHeadAsync(scope.Connection, scope.Transaction, cancellationToken).ConfigureAwait(false), drafts, scope);
        await InsertAsync(scope, entries, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>Computes sequences and hashes; does not write.</summary>
    public static LedgerEntry[] Chain(LedgerHead head, IReadOnlyList<LedgerEntryDraft> drafts, WriteScope scope)
    {
        var micros = Db.ToMicros(scope.Clock.GetUtcNow());
        var entries = new LedgerEntry[drafts.Count];
        var previous = head.Hash;
        var sequence = head.Sequence;
        for (var i = 0; i < drafts.Count; i++)
        {
            sequence++;
            var hash = LedgerCanonicalForm.ComputeHash(previous, sequence, micros, drafts[i]);
            entries[i] = new LedgerEntry { Sequence = sequence, TimestampUtc = Db.FromMicros(micros), Content = drafts[i], PreviousHash = previous, Hash = hash };
            previous = hash;
        }

        return entries;
    }

    public static async Task InsertAsync(WriteScope scope, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        if (scope.Connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, entries, cancellationToken).ConfigureAwait(false);
            return;
        }

        // In-process engine (SQLite): one prepared statement, re-bound per row.
        await using var insert = scope.Command(InsertSql);
        var bound = ParameterNames.Select(name => insert.Add(name, null)).ToArray();
        await insert.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            var values = Values(entry);
            for (var p = 0; p < values.Length; p++)
            {
                bound[p].Value = values[p] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PostgreSQL: the whole group in one binary COPY stream inside the writer's transaction (one round trip, no
    /// per-row parse/plan). Any failure (e.g. a duplicate sequence) aborts the COPY and with it the transaction.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var entry in entries)
            {
                var c = entry.Content;
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(Db.ToMicros(entry.TimestampUtc), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.Actor, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.Action, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.CorrelationId, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.FeedId, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.RecipientId, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.AgreementId, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.Purpose, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.LegalBasis, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.Profile, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.PersonPseudonym, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, JsonSerializer.Serialize(c.Fields), cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.PayloadSha256, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, c.DetailsJson, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, entry.PreviousHash, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, entry.Hash, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
        => value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    public static LedgerEntry Read(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        TimestampUtc = Db.FromMicros(reader.GetInt64(1)),
        Content = new LedgerEntryDraft
        {
            Actor = reader.GetString(2),
            Action = reader.GetString(3),
            CorrelationId = reader.NullableString(4),
            FeedId = reader.NullableString(5),
            RecipientId = reader.NullableString(6),
            AgreementId = reader.NullableString(7),
            Purpose = reader.NullableString(8),
            LegalBasis = reader.NullableString(9),
            Profile = reader.NullableString(10),
            PersonPseudonym = reader.NullableString(11),
            Fields = JsonSerializer.Deserialize<string[]>(reader.GetString(12)) ?? [],
            PayloadSha256 = reader.NullableString(13),
            DetailsJson = reader.NullableString(14),
        },
        PreviousHash = reader.GetString(15),
        Hash = reader.GetString(16),
    };

    private static object?[] Values(LedgerEntry entry)
    {
        var c = entry.Content;
        return
        [
            entry.Sequence, Db.ToMicros(entry.TimestampUtc), c.Actor, c.Action, c.CorrelationId, c.FeedId, c.RecipientId, c.AgreementId,
            c.Purpose, c.LegalBasis, c.Profile, c.PersonPseudonym, JsonSerializer.Serialize(c.Fields), c.PayloadSha256, c.DetailsJson,
            entry.PreviousHash, entry.Hash,
        ];
    }
}
