using System.Security.Cryptography;
using System.Text;

namespace Hub.Host.Pipeline;

/// <summary>Name-based ids: the same name always gives the same id, so redelivery and re-runs are harmless.</summary>
internal static class DeterministicGuid
{
    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style marker
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16]);
    }
}
