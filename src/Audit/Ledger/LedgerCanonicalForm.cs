using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Audit.Ledger;

/// <summary>
/// The exact bytes an entry's hash covers, so an auditor can re-implement the check without this code
/// (docs/audit.md, "Canonical form"). Length-prefixed, so no value can be confused with a delimiter.
/// </summary>
public static class LedgerCanonicalForm
{
    /// <summary>The hash before the first entry: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The first line of every canonical form; bumps with the format.</summary>
    public const string Header = "hub-ledger-v1\n";

    /// <summary>Serializes an entry's content (everything but its own and the previous hash).</summary>
    public static byte[] Serialize(long sequence, long timestampMicros, LedgerEntryDraft content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = new ArrayBufferWriter<byte>(512);
        Raw(buffer, Header);
        String(buffer, sequence.ToString(CultureInfo.InvariantCulture));
        String(buffer, timestampMicros.ToString(CultureInfo.InvariantCulture));
        String(buffer, content.Actor);
        String(buffer, content.Action);
        String(buffer, content.CorrelationId);
        String(buffer, content.FeedId);
        String(buffer, content.RecipientId);
        String(buffer, content.AgreementId);
        String(buffer, content.Purpose);
        String(buffer, content.LegalBasis);
        String(buffer, content.Profile);
        String(buffer, content.PersonPseudonym);
        Raw(buffer, string.Create(CultureInfo.InvariantCulture, $"L{content.Fields.Count}:"));
        foreach (var field in content.Fields)
        {
            String(buffer, field);
        }

        String(buffer, content.PayloadSha256);
        String(buffer, content.DetailsJson);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>lower-hex SHA-256 over ASCII(previous hash) followed by the canonical bytes.</summary>
    /// <remarks>
    /// The same bytes as <see cref="Serialize"/> (the reference), written into a per-thread buffer without per-field
    /// allocations: verification hashes every entry of the ledger, so this is its hot path.
    /// </remarks>
    public static string ComputeHash(string previousHash, long sequence, long timestampMicros, LedgerEntryDraft content)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(content);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Raw(buffer, previousHash);
        Raw(buffer, Header);
        Number(buffer, 'S', sequence, digitsOnly: true);
        Number(buffer, 'S', timestampMicros, digitsOnly: true);
        Fast(buffer, content.Actor);
        Fast(buffer, content.Action);
        Fast(buffer, content.CorrelationId);
        Fast(buffer, content.FeedId);
        Fast(buffer, content.RecipientId);
        Fast(buffer, content.AgreementId);
        Fast(buffer, content.Purpose);
        Fast(buffer, content.LegalBasis);
        Fast(buffer, content.Profile);
        Fast(buffer, content.PersonPseudonym);
        Number(buffer, 'L', content.Fields.Count, digitsOnly: false);
        foreach (var field in content.Fields)
        {
            Fast(buffer, field);
        }

        Fast(buffer, content.PayloadSha256);
        Fast(buffer, content.DetailsJson);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return Convert.ToHexStringLower(digest);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// With <paramref name="digitsOnly"/>: the number as a length-prefixed string (<c>S{len}:{digits}</c>, what
    /// <see cref="String"/> writes for its invariant text); without: the list prefix <c>L{n}:</c>.
    /// </summary>
    private static void Number(ArrayBufferWriter<byte> buffer, char tag, long value, bool digitsOnly)
    {
        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        var span = buffer.GetSpan(2 + 24 + 24);
        span[0] = (byte)tag;
        var at = 1;
        if (digitsOnly)
        {
            length.TryFormat(span[at..], out var prefix, default, CultureInfo.InvariantCulture);
            at += prefix;
            span[at++] = (byte)':';
            digits[..length].CopyTo(span[at..]);
            at += length;
        }
        else
        {
            digits[..length].CopyTo(span[at..]);
            at += length;
            span[at++] = (byte)':';
        }

        buffer.Advance(at);
    }

    private static void Fast(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            buffer.GetSpan(1)[0] = (byte)'N';
            buffer.Advance(1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var span = buffer.GetSpan(12 + length);
        span[0] = (byte)'S';
        length.TryFormat(span[1..], out var prefix, default, CultureInfo.InvariantCulture);
        var at = 1 + prefix;
        span[at++] = (byte)':';
        at += Encoding.UTF8.GetBytes(value, span[at..]);
        buffer.Advance(at);
    }

    private static void Raw(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        buffer.Advance(written);
    }

    private static void String(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            Raw(buffer, "N");
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        Raw(buffer, string.Create(CultureInfo.InvariantCulture, $"S{length}:"));
        var span = buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        buffer.Advance(length);
    }
}
