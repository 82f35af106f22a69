using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hub.Deidentification.Disclosure;
using Hub.Deidentification.Methods;

namespace Hub.Deidentification.Tests.Methods;

/// <summary>The cached HMAC contexts must give exactly the one-shot HMAC-SHA256, whatever the key, order or thread.</summary>
public sealed class KeyedTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Given_RandomKeysAndTexts_When_Hmac_Then_SameAsOneShotHmacSha256()
    {
        // Key lengths 0..100 cover empty keys and keys longer than the SHA-256 block (hashed first); more than 8 distinct
        // keys per run force evictions from the per-thread cache.
        var cases = Gen.Choose(0, 100).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
            .SelectMany(key => Gen.ArrayOf(Gen.Choose(0, 0x7FF).Select(i => (char)i)).Select(chars => (Key: key, Text: new string(chars))));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(c.Key, Encoding.UTF8.GetBytes(c.Text)));
            Assert.Equal(expected, Keyed.HmacHex(c.Key, c.Text));
            Assert.Equal(expected, Keyed.HmacHex(c.Key, string.Empty, c.Text));
            var split = c.Text.Length / 2;
            Assert.Equal(expected, Keyed.HmacHex(c.Key, c.Text.AsSpan(0, split), c.Text.AsSpan(split)));

            return true;
        }).Check(Runs);
    }

    [Fact]
    public void Given_LongText_When_Hmac_Then_PooledBufferGivesSameValue()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var text = new string('é', 2000);

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("person|" + text))), Keyed.HmacHex(key, "person|", text));
    }

    [Fact]
    public void Given_ManyThreadsAndKeys_When_HashedConcurrently_Then_EveryValueIsTheOneShotValue()
    {
        var keys = Enumerable.Range(0, 12).Select(k => Enumerable.Range(0, 32).Select(i => (byte)(i * k)).ToArray()).ToArray();
        var failures = 0;
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var key = keys[i % keys.Length];
            var text = "person|" + i;
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
            if (Keyed.HmacHex(key, text) != expected)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("outreach-1", 1)]
    [InlineData("a-recipient-id-longer-than-the-stack-buffer-of-the-notification-id-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 12)]
    [InlineData("östra-räddning", 3)]
    public void Given_EpisodeVersionRecipient_When_NotificationId_Then_NameBasedSha256AsBefore(string recipient, int version)
    {
        var episode = new Guid("6f1c1a52-5c1e-4b0e-9b8a-0d7f1e2a3b4c");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"hub-notification|{episode:N}|{version}|{recipient}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);

        Assert.Equal(new Guid(hash.AsSpan(0, 16), bigEndian: true), DisclosureService.NotificationIdOf(episode, version, recipient));
    }

    [Fact]
    public void Given_RandomTimesAndOffsets_When_Iso_Then_SameAsCustomFormat()
    {
        // Years 2..9998 keep every offset (±14 h) inside DateTimeOffset's range; offsets in quarter hours, negative ones too.
        var times = Gen.Choose(2, 9998).SelectMany(year => Gen.Choose(0, 365 * 24 * 60).SelectMany(minutes => Gen.Choose(-14 * 4, 14 * 4).Select(quarters =>
            new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes).AddSeconds(minutes % 60).ToOffset(TimeSpan.FromMinutes(quarters * 15)))));
        Prop.ForAll(times.ToArbitrary(), t =>
        {
            Assert.Equal(t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), Dates.Iso(t));
            var date = DateOnly.FromDateTime(t.DateTime);
            Assert.Equal(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Dates.Iso(date));
            return true;
        }).Check(Runs);
    }
}
