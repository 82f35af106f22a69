using System.Security.Cryptography;
using System.Text;
using Hub.Adapters.Feeds;

namespace Hub.Adapters.Fhir;

/// <summary>How an API key was judged.</summary>
public enum FhirAuthStatus
{
    /// <summary>The key belongs to the feed.</summary>
    Authenticated,

    /// <summary>No key, or a key of no feed (401).</summary>
    Unauthorized,

    /// <summary>A valid key of another feed than the one named in the request (403).</summary>
    Forbidden,
}

/// <summary>The result of authenticating a request.</summary>
/// <param name="Status">The judgement.</param>
/// <param name="Feed">The feed, when authenticated.</param>
/// <param name="Reader">The feed's reader, when authenticated.</param>
public sealed record FhirAuthResult(FhirAuthStatus Status, FeedOptions? Feed, FhirFeedReader? Reader);

/// <summary>
/// The FHIR feeds that accept HTTP, found by API key. Keys are stored only as SHA-256 (<see cref="FhirFeedSettings.ApiKeySha256"/>)
/// and compared in constant time. The key identifies the feed; <c>?feed=ID</c> is optional and, when present, must match (else 403).
/// </summary>
public sealed class FhirFeedDirectory
{
    private readonly List<(byte[] Hash, FeedOptions Feed, FhirFeedReader Reader)> feeds = [];
    private readonly Dictionary<string, (FeedOptions Feed, FhirFeedReader Reader)> byId = new(StringComparer.Ordinal);

    /// <summary>Creates the directory from the configured feeds (only FHIR feeds with a key hash take part).</summary>
    public FhirFeedDirectory(IEnumerable<FeedOptions> configured, FhirFeedReaderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(factory);
        foreach (var feed in configured)
        {
            if (feed.Kind != FeedKind.Fhir)
            {
                continue;
            }

            var reader = factory.CreateReader(feed);
            byId[feed.Id] = (feed, reader);
            if (string.IsNullOrWhiteSpace(feed.Fhir.ApiKeySha256))
            {
                continue;
            }

            byte[] hash;
            try
            {
                hash = Convert.FromHexString(feed.Fhir.ApiKeySha256.Trim());
            }
            catch (FormatException ex)
            {
                throw new FeedConfigurationException($"Feed '{feed.Id}': Fhir.ApiKeySha256 is not hex.", ex);
            }

            if (hash.Length != 32)
            {
                throw new FeedConfigurationException($"Feed '{feed.Id}': Fhir.ApiKeySha256 must be 64 hex characters.");
            }

            feeds.Add((hash, feed, reader));
        }
    }

    /// <summary>Finds the feed of <paramref name="presentedKey"/>; checks it against <paramref name="requestedFeedId"/> when given.</summary>
    public FhirAuthResult Authenticate(string? presentedKey, string? requestedFeedId)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return new FhirAuthResult(FhirAuthStatus.Unauthorized, null, null);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        foreach (var (stored, feed, reader) in feeds)
        {
            if (CryptographicOperations.FixedTimeEquals(stored, hash))
            {
                return requestedFeedId is null || string.Equals(requestedFeedId, feed.Id, StringComparison.Ordinal)
                    ? new FhirAuthResult(FhirAuthStatus.Authenticated, feed, reader)
                    : new FhirAuthResult(FhirAuthStatus.Forbidden, null, null);
            }
        }

        return new FhirAuthResult(FhirAuthStatus.Unauthorized, null, null);
    }

    /// <summary>
    /// Judges a key that another store (the console's feed API keys) resolved to <paramref name="keyFeedId"/>: 401 when that is
    /// no configured FHIR feed (or null: unknown or revoked key), 403 when it differs from <paramref name="requestedFeedId"/>.
    /// </summary>
    public FhirAuthResult AuthenticateFeed(string? keyFeedId, string? requestedFeedId)
    {
        if (keyFeedId is null || !byId.TryGetValue(keyFeedId, out var found))
        {
            return new FhirAuthResult(FhirAuthStatus.Unauthorized, null, null);
        }

        return requestedFeedId is null || string.Equals(requestedFeedId, keyFeedId, StringComparison.Ordinal)
            ? new FhirAuthResult(FhirAuthStatus.Authenticated, found.Feed, found.Reader)
            : new FhirAuthResult(FhirAuthStatus.Forbidden, null, null);
    }
}
