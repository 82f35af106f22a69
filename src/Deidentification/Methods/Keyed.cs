using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Deidentification.Methods;

/// <summary>HMAC-SHA256 helpers: keyed, so a value cannot be recovered by hashing guesses without the key.</summary>
public static class Keyed
{
    /// <summary>Inputs up to this many UTF-8 bytes are hashed from the stack; longer ones from a pooled buffer.</summary>
    private const int StackBytes = 512;

    /// <summary>HMAC-SHA256 of the UTF-8 text, lower-case hex (64 characters), as the FHIR anonymizer's cryptoHash.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    public static string HmacHex(ReadOnlySpan<byte> key, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[32];
        Hmac(key, text.AsSpan(), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>HMAC-SHA256 of <paramref name="prefix"/> followed by <paramref name="text"/> (UTF-8), lower-case hex: the same value as <c>HmacHex(key, prefix + text)</c> without building that string.</summary>
    /// <param name="key">The key.</param>
    /// <param name="prefix">The first part, e.g. <c>person|</c>.</param>
    /// <param name="text">The second part.</param>
    public static string HmacHex(ReadOnlySpan<byte> key, ReadOnlySpan<char> prefix, ReadOnlySpan<char> text)
    {
        Span<byte> hash = stackalloc byte[32];
        Hmac(key, prefix, text, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>HMAC-SHA256 of the UTF-8 text into <paramref name="destination"/> (32 bytes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    /// <param name="destination">32 bytes.</param>
    public static void Hmac(ReadOnlySpan<byte> key, string text, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        Hmac(key, text.AsSpan(), destination);
    }

    /// <summary>HMAC-SHA256 of the UTF-8 text into <paramref name="destination"/> (32 bytes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    /// <param name="destination">32 bytes.</param>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<char> text, Span<byte> destination) =>
        Hmac(key, [], text, destination);

    /// <summary>HMAC-SHA256 of the UTF-8 bytes of <paramref name="prefix"/> then <paramref name="text"/> into <paramref name="destination"/> (32 bytes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="prefix">The first part.</param>
    /// <param name="text">The second part.</param>
    /// <param name="destination">32 bytes.</param>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<char> prefix, ReadOnlySpan<char> text, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(prefix.Length + text.Length);
        byte[]? rented = null;
        var buffer = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(prefix, buffer);
            length += Encoding.UTF8.GetBytes(text, buffer[length..]);
            HmacBytes(key, buffer[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>HMAC-SHA256 of raw bytes into <paramref name="destination"/> (32 bytes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="destination">32 bytes.</param>
    public static void HmacBytes(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        KeyedHashCache.Hmac(key, data, destination);

    /// <summary>A keyed integer uniformly in [-range, range], from the HMAC of the text.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">What the value is stable for (e.g. the person).</param>
    /// <param name="range">The range (at least 1).</param>
    public static int SignedOffset(ReadOnlySpan<byte> key, string text, int range)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SignedOffset(key, [], text.AsSpan(), range);
    }

    /// <summary>A keyed integer uniformly in [-range, range], from the HMAC of <paramref name="prefix"/> + <paramref name="text"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="prefix">The first part of the text.</param>
    /// <param name="text">The second part (e.g. the person).</param>
    /// <param name="range">The range (at least 1).</param>
    public static int SignedOffset(ReadOnlySpan<byte> key, ReadOnlySpan<char> prefix, ReadOnlySpan<char> text, int range)
    {
        Span<byte> hash = stackalloc byte[32];
        Hmac(key, prefix, text, hash);
        var value = BitConverter.ToUInt64(hash[..8]);
        return (int)(value % (ulong)((2 * range) + 1)) - range;
    }

    /// <summary>A fraction in [0, 1) from 8 bytes of a hash.</summary>
    /// <param name="eightBytes">8 bytes of an HMAC.</param>
    public static double Fraction(ReadOnlySpan<byte> eightBytes) => (BitConverter.ToUInt64(eightBytes) >> 11) * (1.0 / (1UL << 53));
}
