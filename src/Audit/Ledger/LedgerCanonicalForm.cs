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
    public static string ComputeHash(string previousHash, long sequence, long timestampMicros, LedgerEntryDraft content)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(previousHash));
        hash.AppendData(Serialize(sequence, timestampMicros, content));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
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
