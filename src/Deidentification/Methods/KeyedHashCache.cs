using System.Security.Cryptography;

namespace Hub.Deidentification.Methods;

/// <summary>
/// Keeps, per key and <b>per thread</b>, what HMAC-SHA256 can reuse between calls: the key's two padded midstates for the
/// <see cref="ShortSha256"/> (used for inputs up to <see cref="HmacMaxBytes"/>, all the privacy stage hashes),
/// and, created on first need, one OpenSSL context for longer inputs. Setting up a native context, or even calling one,
/// costs more than hashing a short input, and the privacy stage hashes a few short inputs per decision with the same two
/// keys (the hub's and the recipient's). Nothing is shared between threads, so concurrent callers never touch the same
/// context. A native context whose use throws is disposed and dropped, so a half-fed hash is never reused. Key copies and
/// midstates are zeroed when evicted. Only key material is kept here, never a hashed value (except <see cref="Memo"/>).
/// </summary>
internal static class KeyedHashCache
{
    /// <summary>Keys held per thread (the hub key plus the recipients of the episodes in flight); the oldest is evicted.</summary>
    private const int Capacity = 8;

    /// <summary>Texts remembered per key by <see cref="Memo"/>.</summary>
    private const int MemoCapacity = 64;

    /// <summary>
    /// Inputs up to this many bytes are hashed by <see cref="ShortSha256"/>. With OpenSSL's compression each block costs
    /// about 0.06 µs, far below one call through .NET's API; with the managed compression (about 0.35 µs a block) only
    /// inputs that take two compressions in all are (an HMAC message under 56 bytes, a hash input under 120 bytes).
    /// Longer ones go through <see cref="IncrementalHash"/>.
    /// </summary>
    internal static readonly int HmacMaxBytes = NativeSha256Block.IsAvailable ? 512 : ShortSha256.BlockBytes - 9;

    /// <inheritdoc cref="HmacMaxBytes"/>
    internal static readonly int HashMaxBytes = NativeSha256Block.IsAvailable ? 512 : (2 * ShortSha256.BlockBytes) - 9;

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
            entries[slot] = new Entry(key.ToArray());
        }

        var entry = entries[slot]!;
        if (data.Length <= HmacMaxBytes)
        {
            ShortSha256.Hmac(in entry.Midstates, data, destination);
            return;
        }

        var hash = entry.Hash ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, entry.Key);
        try
        {
            hash.AppendData(data);
            hash.GetHashAndReset(destination);
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
        if (data.Length <= HashMaxBytes)
        {
            ShortSha256.Hash(data, destination);
            return;
        }

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

    private sealed class Entry(byte[] key) : IDisposable
    {
        /// <summary>The key's inner and outer midstates (key-equivalent; zeroed on eviction).</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Private nested type; passed by reference to avoid copying 64 bytes per call.")]
        public ShortSha256.HmacKey Midstates = new(key);

        public byte[] Key { get; } = key;

        /// <summary>The .NET context, only for inputs longer than <see cref="HmacMaxBytes"/>.</summary>
        public IncrementalHash? Hash { get; set; }

        public Dictionary<string, string> Memo { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(Key);
            Midstates = default;
            Memo.Clear();
            Hash?.Dispose();
        }
    }
}
