using System.Security.Cryptography;
using System.Text;

namespace Hub.Contracts.Sharing;

/// <summary>
/// The stored form of an API key given to a partner system (a hospital's FHIR feed, a recipient's pull API): lower-case
/// hex SHA-256 of its UTF-8 bytes. Configuration (<c>ApiKeySha256</c>) and the console's key table hold only this form,
/// so every place that checks or stores a key must compute it the same way.
/// </summary>
public static class ApiKeyHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="apiKey"/>'s UTF-8 bytes.</summary>
    public static string Sha256Hex(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }
}
