using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Hub.Audit.Storage;
using Hub.Contracts.Sharing;

namespace Hub.Audit.Console;

/// <summary>
/// Feed API keys in table <c>feed_api_keys</c> (schema v4), on SQLite and PostgreSQL alike. A key is <c>hubk_</c> plus 32 random
/// bytes in URL-safe base64 (so leaked keys are recognisable by scanners); only its SHA-256 (lower-case hex) is stored, and
/// revocation keeps the row so the ledger's references to the key id stay meaningful.
/// </summary>
public sealed class SqlFeedApiKeyStore : IFeedApiKeyStore
{
    /// <summary>The prefix of every key this store issues.</summary>
    public const string KeyPrefix = "hubk_";

    /// <summary>The prefix of every public key id.</summary>
    public const string KeyIdPrefix = "fk_";

    private const int SecretBytes = 32;
    private const int MaxKeyLength = 256;

    private readonly HubDatabase _database;

    /// <summary>Creates the store.</summary>
    public SqlFeedApiKeyStore(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async Task<CreatedFeedApiKey> CreateAsync(string feedId, string label, string createdBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feedId);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);

        var secret = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var keyId = KeyIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var now = _database.Clock.GetUtcNow();
        var micros = Db.ToMicros(now);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "INSERT INTO feed_api_keys (key_id, feed_id, label, key_sha256, created_at, created_by, revoked_at, revoked_by) " +
                "VALUES (@id, @feed, @label, @hash, @at, @by, NULL, NULL)");
            command.Add("@id", keyId);
            command.Add("@feed", feedId);
            command.Add("@label", label);
            command.Add("@hash", ApiKeyHash.Sha256Hex(secret));
            command.Add("@at", micros);
            command.Add("@by", createdBy);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CreatedFeedApiKey(new FeedApiKeyInfo(keyId, feedId, label, Db.FromMicros(micros), createdBy, null), secret);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FeedApiKeyInfo>> ListAsync(string? feedId, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT key_id, feed_id, label, created_at, created_by, revoked_at FROM feed_api_keys " +
                (feedId is null ? string.Empty : "WHERE feed_id = @feed ") +
                "ORDER BY created_at DESC, key_id DESC");
            if (feedId is not null)
            {
                command.Add("@feed", feedId);
            }

            var keys = new List<FeedApiKeyInfo>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(Read(reader));
            }

            return keys;
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string keyId, string revokedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(revokedBy);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "UPDATE feed_api_keys SET revoked_at = @at, revoked_by = @by WHERE key_id = @id AND revoked_at IS NULL");
            command.Add("@at", Db.ToMicros(_database.Clock.GetUtcNow()));
            command.Add("@by", revokedBy);
            command.Add("@id", keyId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<string?> FeedOfKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey) || apiKey.Length > MaxKeyLength || !apiKey.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = ApiKeyHash.Sha256Hex(apiKey);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT feed_id, key_sha256 FROM feed_api_keys WHERE key_sha256 = @hash AND revoked_at IS NULL");
            command.Add("@hash", hash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var feedId = reader.GetString(0);
            var stored = reader.GetString(1);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(hash)) ? feedId : null;
        }
    }

    private static FeedApiKeyInfo Read(DbDataReader reader)
    {
        var revoked = reader.NullableInt64(5);
        return new FeedApiKeyInfo(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            Db.FromMicros(reader.GetInt64(3)),
            reader.GetString(4),
            revoked is { } r ? Db.FromMicros(r) : null);
    }
}
