using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Deidentification.Methods;

/// <summary>HMAC-SHA256 helpers: keyed, so a value cannot be recovered by hashing guesses without the key.</summary>
public static class Keyed
{
    /// <summary>HMAC-SHA256 of the UTF-8 text, lower-case hex (64 characters), as the FHIR anonymizer's cryptoHash.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    public static string HmacHex(ReadOnlySpan<byte> key, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[32];
        Hmac(key, text, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>HMAC-SHA256 of the UTF-8 text into <paramref name="destination"/> (32 bytes).</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">The text.</param>
    /// <param name="destination">32 bytes.</param>
    public static void Hmac(ReadOnlySpan<byte> key, string text, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            HMACSHA256.HashData(key, buffer[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A keyed integer uniformly in [-range, range], from the HMAC of the text.</summary>
    /// <param name="key">The key.</param>
    /// <param name="text">What the value is stable for (e.g. the person).</param>
    /// <param name="range">The range (at least 1).</param>
    public static int SignedOffset(ReadOnlySpan<byte> key, string text, int range)
    {
        Span<byte> hash = stackalloc byte[32];
        Hmac(key, text, hash);
        var value = BitConverter.ToUInt64(hash[..8]);
        return (int)(value % (ulong)((2 * range) + 1)) - range;
    }

    /// <summary>A fraction in [0, 1) from 8 bytes of a hash.</summary>
    /// <param name="eightBytes">8 bytes of an HMAC.</param>
    public static double Fraction(ReadOnlySpan<byte> eightBytes) => (BitConverter.ToUInt64(eightBytes) >> 11) * (1.0 / (1UL << 53));
}
