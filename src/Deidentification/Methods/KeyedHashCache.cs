using System.Security.Cryptography;

namespace Hub.Deidentification.Methods;

/// <summary>
/// Reuses one HMAC-SHA256 (and one SHA-256) context per key <b>per thread</b>: setting up a context costs more than hashing
/// a short input, and the privacy stage hashes a few short inputs per decision with the same two keys (the hub's and the
/// recipient's). Nothing is shared between threads, so concurrent callers never touch the same context. A context whose
/// use throws is disposed and dropped, so a half-fed hash is never reused. Key copies are zeroed when evicted.
/// </summary>
internal static class KeyedHashCache
{
    /// <summary>Keys held per thread (the hub key plus the recipients of the episodes in flight); the oldest is evicted.</summary>
    private const int Capacity = 8;

    /// <summary>Texts remembered per key by <see cref="Memo"/>.</summary>
    private const int MemoCapacity = 64;

    [ThreadStatic]
    private static Entry?[]? _entries;

    [ThreadStatic]
    private static int _next;

    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>HMAC-SHA256(key, data) into 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var entries = _entries ??= new Entry?[Capacity];
        var slot = Find(entries, key);
        if (slot < 0)
        {
            slot = _next;
            _next = (_next + 1) % Capacity;
            entries[slot]?.Dispose();
            entries[slot] = null;
            entries[slot] = new Entry(key.ToArray(), IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        }

        var entry = entries[slot]!;
        try
        {
            entry.Hash.AppendData(data);
            entry.Hash.GetHashAndReset(destination);
        }
        catch
        {
            entries[slot] = null;
            entry.Dispose();
            throw;
        }
    }

    /// <summary>Delegate for <see cref="Memo"/>: computes a keyed value of a short text.</summary>
    public delegate string KeyedValue(ReadOnlySpan<byte> key, string text);

    /// <summary>
    /// The keyed value of <paramref name="text"/> for this key, computed once per thread and remembered with the key's
    /// context (at most <see cref="MemoCapacity"/> texts per key; the memo starts over when full). For small, repeating
    /// sets only, such as agreement ids.
    /// </summary>
    public static string Memo(ReadOnlySpan<byte> key, string text, KeyedValue compute)
    {
        var entries = _entries ??= new Entry?[Capacity];
        var slot = Find(entries, key);
        if (slot < 0)
        {
            return compute(key, text);
        }

        var memo = entries[slot]!.Memo;
        if (memo.TryGetValue(text, out var value))
        {
            return value;
        }

        value = compute(key, text);
        if (memo.Count >= MemoCapacity)
        {
            memo.Clear();
        }

        memo[text] = value;
        return value;
    }

    /// <summary>SHA-256(data) into 32 bytes of <paramref name="destination"/>.</summary>
    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hash = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            hash.AppendData(data);
            hash.GetHashAndReset(destination);
        }
        catch
        {
            _sha256 = null;
            hash.Dispose();
            throw;
        }
    }

    private static int Find(Entry?[] entries, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i] is { } e && key.SequenceEqual(e.Key))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Entry(byte[] key, IncrementalHash hash) : IDisposable
    {
        public byte[] Key { get; } = key;

        public IncrementalHash Hash { get; } = hash;

        public Dictionary<string, string> Memo { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(Key);
            Memo.Clear();
            Hash.Dispose();
        }
    }
}
