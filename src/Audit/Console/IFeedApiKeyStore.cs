namespace Hub.Audit.Console;

/// <summary>A feed API key as listed: never the key itself, only its id, label and state.</summary>
/// <param name="KeyId">The key's public id (shown in lists and used to revoke).</param>
/// <param name="FeedId">The feed the key authenticates.</param>
/// <param name="Label">What the feed team called it (for example the sending system).</param>
/// <param name="CreatedAtUtc">When it was created.</param>
/// <param name="CreatedBy">The console user who created it.</param>
/// <param name="RevokedAtUtc">When it was revoked, or null while it is active.</param>
public sealed record FeedApiKeyInfo(string KeyId, string FeedId, string Label, DateTimeOffset CreatedAtUtc, string CreatedBy, DateTimeOffset? RevokedAtUtc);

/// <summary>A key just created: <paramref name="Secret"/> is shown once and never stored (only its SHA-256 is).</summary>
/// <param name="Info">The stored description.</param>
/// <param name="Secret">The API key to hand to the sending system.</param>
public sealed record CreatedFeedApiKey(FeedApiKeyInfo Info, string Secret);

/// <summary>
/// The feeds' HTTP API keys created in the console, beside those configured as <c>Fhir:ApiKeySha256</c>.
/// Keys are stored as SHA-256 only, shown once at creation, and revoked (never deleted, so the ledger's references stay meaningful).
/// </summary>
public interface IFeedApiKeyStore
{
    /// <summary>Creates a random key for a feed and returns it once.</summary>
    Task<CreatedFeedApiKey> CreateAsync(string feedId, string label, string createdBy, CancellationToken cancellationToken);

    /// <summary>Lists keys (all feeds when <paramref name="feedId"/> is null), newest first.</summary>
    Task<IReadOnlyList<FeedApiKeyInfo>> ListAsync(string? feedId, CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when it does not exist or was already revoked.</summary>
    Task<bool> RevokeAsync(string keyId, string revokedBy, CancellationToken cancellationToken);

    /// <summary>The feed an active key belongs to, or null (unknown or revoked). Compares hashes in constant time.</summary>
    Task<string?> FeedOfKeyAsync(string apiKey, CancellationToken cancellationToken);
}
