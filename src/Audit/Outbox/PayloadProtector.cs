using System.Security.Cryptography;
using System.Text;

namespace Hub.Audit.Outbox;

/// <summary>
/// AES-256-GCM for outbox payloads at rest. Layout: version byte (1) | 12-byte nonce | 16-byte tag | ciphertext;
/// the message id is the associated data, so a payload copied onto another row fails to decrypt.
/// </summary>
public sealed class PayloadProtector : IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly AesGcm _aes;

    // AesGcm instances are not thread-safe: the pipeline encrypts while the dispatcher decrypts. One lock keeps a single
    // key schedule; each operation takes about a microsecond, far below a database round trip.
    private readonly Lock _gate = new();

    /// <summary>Creates the protector over a 32-byte key.</summary>
    public PayloadProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new CryptographicException("The payload encryption key must be 32 bytes (AES-256).");
        }

        _aes = new AesGcm(key, TagSize);
    }

    /// <summary>Creates the protector from the base64 key in configuration.</summary>
    public static PayloadProtector FromBase64(string base64Key) => new(AuditKeys.LoadPayloadKey(base64Key));

    /// <summary>Encrypts a payload for one message id.</summary>
    public byte[] Protect(Guid messageId, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        var plain = Encoding.UTF8.GetBytes(payloadJson);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        lock (_gate)
        {
            _aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), messageId.ToByteArray());
        }

        return output;
    }

    /// <summary>Decrypts; throws <see cref="CryptographicException"/> when the bytes were altered or belong to another id.</summary>
    public string Unprotect(Guid messageId, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length < 1 + NonceSize + TagSize || stored[0] != FormatVersion)
        {
            throw new CryptographicException("Unknown outbox payload format.");
        }

        var plain = new byte[stored.Length - 1 - NonceSize - TagSize];
        lock (_gate)
        {
            _aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize + TagSize), stored.AsSpan(1 + NonceSize, TagSize), plain, messageId.ToByteArray());
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
