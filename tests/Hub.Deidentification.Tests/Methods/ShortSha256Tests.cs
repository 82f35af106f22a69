using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hub.Deidentification.Methods;

namespace Hub.Deidentification.Tests.Methods;

/// <summary>The managed SHA-256 / HMAC-SHA256 must be byte-identical to .NET's (OpenSSL's) for every key and message.</summary>
public sealed class ShortSha256Tests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>RFC 4231 §4.2–4.8, HMAC-SHA-256 (test case 5 is truncated to 128 bits by the RFC).</summary>
    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Hex("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { Hex("Jefe"), Hex("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { Repeat("aa", 20), Repeat("dd", 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", Repeat("cd", 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { Repeat("0c", 20), Hex("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b" },
        { Repeat("aa", 131), Hex("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        {
            Repeat("aa", 131),
            Hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Given_Rfc4231Vector_When_Hmac_Then_ExpectedMac(string keyHex, string dataHex, string expectedHex)
    {
        var key = Convert.FromHexString(keyHex);
        var data = Convert.FromHexString(dataHex);
        var mac = new byte[32];

        ShortSha256.Hmac(new ShortSha256.HmacKey(key), data, mac);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(mac)[..expectedHex.Length]);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(HMACSHA256.HashData(key, data))[..expectedHex.Length]);
    }

    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Given_FipsExample_When_Hash_Then_ExpectedDigest(string message, string expectedHex)
    {
        var digest = new byte[32];

        ShortSha256.Hash(Encoding.ASCII.GetBytes(message), digest);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Given_RandomKeysAndMessages_When_Hmac_Then_SameAsHmacSha256()
    {
        // Keys 0..200 bytes (longer than the 64-byte block: hashed first), messages 0..1000 bytes (up to 16 blocks, every
        // padding case: a tail under 56 bytes, 56..63 bytes that needs an extra block, exact block multiples).
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b);
        var cases = Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(bytes, n))
            .SelectMany(key => Gen.Choose(0, 1000).SelectMany(n => Gen.ArrayOf(bytes, n)).Select(message => (Key: key, Message: message)));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var mac = new byte[32];
            ShortSha256.Hmac(new ShortSha256.HmacKey(c.Key), c.Message, mac);
            Assert.Equal(HMACSHA256.HashData(c.Key, c.Message), mac);

            var digest = new byte[32];
            ShortSha256.Hash(c.Message, digest);
            Assert.Equal(SHA256.HashData(c.Message), digest);
            return true;
        }).Check(Runs);
    }

    [Fact]
    public void Given_EveryLengthAroundTheBlockBoundaries_When_Hmac_Then_SameAsHmacSha256()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var prepared = new ShortSha256.HmacKey(key);
        var message = Enumerable.Range(0, 200).Select(i => (byte)(i * 13)).ToArray();
        for (var length = 0; length <= message.Length; length++)
        {
            var mac = new byte[32];
            ShortSha256.Hmac(prepared, message.AsSpan(0, length), mac);
            Assert.Equal(HMACSHA256.HashData(key, message.AsSpan(0, length)), mac);
        }
    }

    [Fact]
    public void Given_RandomMessages_When_HashedWithTheManagedCompression_Then_SameAsSha256()
    {
        // The managed compression is the fallback where OpenSSL's is not found; here it is checked on its own, with the
        // padding written out independently of ShortSha256's.
        var cases = Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Prop.ForAll(cases.ToArbitrary(), message =>
        {
            var padded = new byte[((message.Length + 8) / 64 * 64) + 64];
            message.CopyTo(padded, 0);
            padded[message.Length] = 0x80;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(padded.Length - 8), (ulong)message.Length * 8);
            var state = ShortSha256.InitialState;
            for (var offset = 0; offset < padded.Length; offset += 64)
            {
                ShortSha256.CompressManaged(ref state, padded.AsSpan(offset, 64));
            }

            var digest = new byte[32];
            state.WriteTo(digest);
            Assert.Equal(SHA256.HashData(message), digest);
            return true;
        }).Check(Runs);
    }

    [Fact]
    public void Given_RandomStatesAndBlocks_When_Compressed_Then_NativeAndManagedAgree()
    {
        if (!NativeSha256Block.IsAvailable)
        {
            return; // no libcrypto with SHA256_Transform here: only the managed compression is ever used
        }

        var words = Gen.Choose(int.MinValue, int.MaxValue).Select(i => unchecked((uint)i));
        var cases = Gen.ArrayOf(words, 8).SelectMany(s => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 64).Select(block => (State: s, Block: block)));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var native = new ShortSha256.State(c.State[0], c.State[1], c.State[2], c.State[3], c.State[4], c.State[5], c.State[6], c.State[7]);
            var managed = native;
            NativeSha256Block.Compress(ref native, c.Block);
            ShortSha256.CompressManaged(ref managed, c.Block);
            Assert.Equal(managed, native);
            return true;
        }).Check(Runs);
    }

    private static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii));

    private static string Repeat(string hexByte, int count) => string.Concat(Enumerable.Repeat(hexByte, count));
}
