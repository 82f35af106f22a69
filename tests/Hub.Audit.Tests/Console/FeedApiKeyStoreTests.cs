using Hub.Audit.Console;
using Hub.Audit.Tests.Storage;
using Hub.Contracts.Sharing;
using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Console;

public abstract class FeedApiKeyStoreTests(ITestEngine engine) : EngineTests(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Given_a_created_key_When_looked_up_Then_it_maps_to_its_feed_and_only_its_hash_is_stored()
    {
        var clock = new ManualClock(T0);
        await using var db = await Engine.CreateAsync("apikeys", clock);
        var store = new SqlFeedApiKeyStore(db.Database);

        var created = await store.CreateAsync("ed-general", "Epic bridge", "alice", CancellationToken.None);

        Assert.StartsWith(SqlFeedApiKeyStore.KeyPrefix, created.Secret, StringComparison.Ordinal);
        Assert.Equal(SqlFeedApiKeyStore.KeyPrefix.Length + 43, created.Secret.Length);
        Assert.DoesNotContain('+', created.Secret);
        Assert.DoesNotContain('/', created.Secret);
        Assert.DoesNotContain('=', created.Secret);
        Assert.Equal(new FeedApiKeyInfo(created.Info.KeyId, "ed-general", "Epic bridge", T0, "alice", null), created.Info);
        Assert.Equal("ed-general", await store.FeedOfKeyAsync(created.Secret, CancellationToken.None));
        Assert.Null(await store.FeedOfKeyAsync(created.Secret + "x", CancellationToken.None));
        Assert.Null(await store.FeedOfKeyAsync(created.Secret[..^1], CancellationToken.None));
        Assert.Null(await store.FeedOfKeyAsync(string.Empty, CancellationToken.None));

        var hash = ApiKeyHash.Sha256Hex(created.Secret);
        Assert.Equal(64, hash.Length);
        Assert.Equal(1, await db.ScalarAsync($"SELECT COUNT(*) FROM feed_api_keys WHERE key_sha256 = '{hash}'"));
        Assert.Equal(0, await db.ScalarAsync($"SELECT COUNT(*) FROM feed_api_keys WHERE key_sha256 = '{created.Secret}' OR label = '{created.Secret}'"));
    }

    [Fact]
    public async Task Given_two_keys_When_one_is_revoked_Then_it_no_longer_authenticates_and_stays_listed()
    {
        var clock = new ManualClock(T0);
        await using var db = await Engine.CreateAsync("apikeyrevoke", clock);
        var store = new SqlFeedApiKeyStore(db.Database);
        var first = await store.CreateAsync("ed-general", "old bridge", "alice", CancellationToken.None);
        clock.Now = T0.AddMinutes(5);
        var second = await store.CreateAsync("ed-general", "new bridge", "alice", CancellationToken.None);
        clock.Now = T0.AddMinutes(10);

        Assert.True(await store.RevokeAsync(first.Info.KeyId, "bob", CancellationToken.None));
        Assert.False(await store.RevokeAsync(first.Info.KeyId, "bob", CancellationToken.None));
        Assert.False(await store.RevokeAsync("fk_unknown", "bob", CancellationToken.None));

        Assert.Null(await store.FeedOfKeyAsync(first.Secret, CancellationToken.None));
        Assert.Equal("ed-general", await store.FeedOfKeyAsync(second.Secret, CancellationToken.None));
        var listed = await store.ListAsync("ed-general", CancellationToken.None);
        Assert.Equal([second.Info.KeyId, first.Info.KeyId], listed.Select(k => k.KeyId));
        Assert.Null(listed[0].RevokedAtUtc);
        Assert.Equal(T0.AddMinutes(10), listed[1].RevokedAtUtc);
        Assert.Equal(1, await db.ScalarAsync($"SELECT COUNT(*) FROM feed_api_keys WHERE key_id = '{first.Info.KeyId}' AND revoked_by = 'bob'"));
    }

    [Fact]
    public async Task Given_keys_of_several_feeds_When_listed_Then_the_filter_applies_and_ids_and_secrets_are_distinct()
    {
        var clock = new ManualClock(T0);
        await using var db = await Engine.CreateAsync("apikeylist", clock);
        var store = new SqlFeedApiKeyStore(db.Database);
        var created = new List<CreatedFeedApiKey>();
        for (var i = 0; i < 6; i++)
        {
            clock.Now = T0.AddSeconds(i);
            created.Add(await store.CreateAsync(i % 2 == 0 ? "ed-a" : "ed-b", $"k{i}", "alice", CancellationToken.None));
        }

        Assert.Equal(6, created.Select(c => c.Secret).Distinct().Count());
        Assert.Equal(6, created.Select(c => c.Info.KeyId).Distinct().Count());
        Assert.Equal(["k5", "k4", "k3", "k2", "k1", "k0"], (await store.ListAsync(null, CancellationToken.None)).Select(k => k.Label));
        Assert.Equal(["k4", "k2", "k0"], (await store.ListAsync("ed-a", CancellationToken.None)).Select(k => k.Label));
        Assert.Empty(await store.ListAsync("nobody", CancellationToken.None));
        Assert.Equal("ed-b", await store.FeedOfKeyAsync(created[3].Secret, CancellationToken.None));
    }
}

public sealed class SqliteFeedApiKeyStoreTests() : FeedApiKeyStoreTests(new SqliteEngine());

[Collection(PostgresNode.Collection)]
[Trait("Category", "Integration")]
public sealed class PostgresFeedApiKeyStoreTests(PostgresNode node) : FeedApiKeyStoreTests(new PostgresEngine(node));
