using System.Globalization;
using System.Text;

namespace Hub.Audit.Ledger;

/// <summary>A signed statement of the ledger head at a moment, kept outside the database so truncation is provable.</summary>
public sealed record LedgerCheckpoint
{
    /// <summary>Format version (1).</summary>
    public int Version { get; init; } = 1;

    /// <summary>The head sequence (0 when the ledger was empty).</summary>
    public required long Sequence { get; init; }

    /// <summary>The head hash, lower hex.</summary>
    public required string Hash { get; init; }

    /// <summary>When it was signed, UTC.</summary>
    public required DateTimeOffset CreatedAtUtc { get; init; }

    /// <summary>First 16 hex digits of SHA-256 over the signer's public key (SubjectPublicKeyInfo).</summary>
    public required string KeyId { get; init; }

    /// <summary>ECDSA P-256 / SHA-256 signature over <see cref="SignedBytes"/>, IEEE P1363 (r||s), base64.</summary>
    public required string Signature { get; init; }

    /// <summary>The exact bytes signed (docs/audit.md, "Checkpoints").</summary>
    public static byte[] SignedBytes(long sequence, string hash, DateTimeOffset createdAtUtc) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"hub-ledger-checkpoint-v1\n{sequence}\n{hash}\n{createdAtUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\n"));
}

/// <summary>A checkpoint and the file it was written to.</summary>
/// <param name="Checkpoint">The checkpoint.</param>
/// <param name="Path">The file.</param>
public sealed record LedgerCheckpointFile(LedgerCheckpoint Checkpoint, string Path);
