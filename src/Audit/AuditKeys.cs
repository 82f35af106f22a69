using System.Security.Cryptography;

namespace Hub.Audit;

/// <summary>Parses the configured keys; throws <see cref="CryptographicException"/> or <see cref="FormatException"/> on bad material.</summary>
internal static class AuditKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public static ECDsa LoadSigningKey(string text)
    {
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            }

            RequireP256(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static ECDsa LoadVerificationKey(AuditOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CheckpointVerificationKey))
        {
            return LoadSigningKey(options.CheckpointSigningKey);
        }

        var key = ECDsa.Create();
        try
        {
            var text = options.CheckpointVerificationKey;
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            }

            RequireP256(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static byte[] LoadPayloadKey(string base64)
    {
        var key = Convert.FromBase64String(base64.Trim());
        if (key.Length != 32)
        {
            throw new CryptographicException("The payload encryption key must be 32 bytes (AES-256).");
        }

        return key;
    }

    /// <summary>First 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo DER).</summary>
    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static void RequireP256(ECDsa key)
    {
        if (key.ExportParameters(false).Curve.Oid.Value != P256Oid)
        {
            throw new CryptographicException("Checkpoint keys must be ECDSA P-256.");
        }
    }
}
