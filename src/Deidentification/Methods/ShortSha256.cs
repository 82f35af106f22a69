using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Hub.Deidentification.Methods;

/// <summary>
/// SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) for the short inputs of the privacy stage, byte-identical to
/// <see cref="HMACSHA256"/> and <see cref="SHA256"/> (RFC 4231 vectors and a property test over random keys and messages
/// check it). Why it exists: a decision hashes three or four inputs of under 100 bytes, and each call through .NET's
/// hashing API costs about 0.7 µs of per-call plumbing (error-queue clearing, context reset, several native calls) for
/// well under 0.1 µs of hashing. Here an HMAC key is reduced once to its two padded midstates (<see cref="HmacKey"/>), and
/// padding is done here, so an HMAC of a message under 56 bytes is exactly two compression-function calls: OpenSSL's
/// (<see cref="NativeSha256Block"/>, with the CPU's SHA extensions) where available, else <see cref="CompressManaged"/>.
/// No data-dependent branches or table lookups; like any hash, the time depends on the message length.
/// </summary>
internal static class ShortSha256
{
    /// <summary>SHA-256 block size in bytes.</summary>
    public const int BlockBytes = 64;

    /// <summary>Digest size in bytes.</summary>
    public const int DigestBytes = 32;

    /// <summary>The initial hash value H(0) (FIPS 180-4 §5.3.3).</summary>
    public static State InitialState => new(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>SHA-256(<paramref name="data"/>) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var state = InitialState;
        Finish(ref state, data, 0, destination);
    }

    /// <summary>HMAC-SHA256 with a prepared key: the inner and outer midstates continue over the message and the inner digest.</summary>
    public static void Hmac(in HmacKey key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> inner = stackalloc byte[DigestBytes];
        var state = key.Inner;
        Finish(ref state, data, BlockBytes, inner);
        state = key.Outer;
        Finish(ref state, inner, BlockBytes, destination);
    }

    /// <summary>
    /// Continues <paramref name="state"/> (which has already absorbed <paramref name="absorbedBytes"/>, a multiple of 64)
    /// over <paramref name="data"/>, pads (FIPS 180-4 §5.1.1) and writes the digest.
    /// </summary>
    private static void Finish(ref State state, ReadOnlySpan<byte> data, long absorbedBytes, Span<byte> destination)
    {
        var totalBits = (ulong)(absorbedBytes + data.Length) * 8;
        while (data.Length >= BlockBytes)
        {
            Compress(ref state, data[..BlockBytes]);
            data = data[BlockBytes..];
        }

        Span<byte> block = stackalloc byte[BlockBytes];
        block.Clear();
        data.CopyTo(block);
        block[data.Length] = 0x80;
        if (data.Length >= BlockBytes - 8)
        {
            Compress(ref state, block);
            block.Clear();
        }

        BinaryPrimitives.WriteUInt64BigEndian(block[(BlockBytes - 8)..], totalBits);
        Compress(ref state, block);
        state.WriteTo(destination);
    }

    /// <summary>The SHA-256 compression function over one 64-byte block: OpenSSL's when <see cref="NativeSha256Block.IsAvailable"/>, else managed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Compress(ref State state, ReadOnlySpan<byte> block)
    {
        if (NativeSha256Block.IsAvailable)
        {
            NativeSha256Block.Compress(ref state, block);
        }
        else
        {
            CompressManaged(ref state, block);
        }
    }

    /// <summary>The SHA-256 compression function over one 64-byte block (FIPS 180-4 §6.2.2), in managed code.</summary>
    internal static void CompressManaged(ref State state, ReadOnlySpan<byte> block)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, BlockBytes);
        Span<uint> schedule = stackalloc uint[64];
        ref var w = ref MemoryMarshal.GetReference(schedule);
        for (nint t = 0; t < 16; t++)
        {
            Unsafe.Add(ref w, t) = BinaryPrimitives.ReadUInt32BigEndian(block.Slice((int)t * 4, 4));
        }

        // The message schedule four words at a time: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]. The σ1 terms of
        // W[t+2] and W[t+3] need W[t] and W[t+1] from the same step, so they are added in a second half-step.
        var low = Vector128.Create(uint.MaxValue, uint.MaxValue, 0, 0);
        for (nint t = 16; t < 64; t += 4)
        {
            var x = Vector128.LoadUnsafe(ref w, (nuint)(t - 16)) + SmallSigma0(Vector128.LoadUnsafe(ref w, (nuint)(t - 15)))
                + Vector128.LoadUnsafe(ref w, (nuint)(t - 7));
            x += SmallSigma1(Vector128.LoadUnsafe(ref w, (nuint)(t - 2))) & low; // lanes 2 and 3 read words not yet written: masked
            x += SmallSigma1(Vector128.Shuffle(x, Vector128.Create(0u, 1, 0, 1))) & ~low;
            x.StoreUnsafe(ref w, (nuint)t);
        }

        // W[t] + K[t], added once here instead of in each round.
        ref var k = ref MemoryMarshal.GetReference(K);
        for (nuint t = 0; t < 64; t += 4)
        {
            (Vector128.LoadUnsafe(ref w, t) + Vector128.LoadUnsafe(ref k, t)).StoreUnsafe(ref w, t);
        }

        uint a = state.A, b = state.B, c = state.C, d = state.D, e = state.E, f = state.F, g = state.G, h = state.H;

        // Eight rounds per pass; instead of moving every word down one place each round, the roles rotate through the locals.
        for (nint t = 0; t < 64; t += 8)
        {
            Round(a, b, c, ref d, e, f, g, ref h, Unsafe.Add(ref w, t));
            Round(h, a, b, ref c, d, e, f, ref g, Unsafe.Add(ref w, t + 1));
            Round(g, h, a, ref b, c, d, e, ref f, Unsafe.Add(ref w, t + 2));
            Round(f, g, h, ref a, b, c, d, ref e, Unsafe.Add(ref w, t + 3));
            Round(e, f, g, ref h, a, b, c, ref d, Unsafe.Add(ref w, t + 4));
            Round(d, e, f, ref g, h, a, b, ref c, Unsafe.Add(ref w, t + 5));
            Round(c, d, e, ref f, g, h, a, ref b, Unsafe.Add(ref w, t + 6));
            Round(b, c, d, ref e, f, g, h, ref a, Unsafe.Add(ref w, t + 7));
        }

        state = new State(state.A + a, state.B + b, state.C + c, state.D + d, state.E + e, state.F + f, state.G + g, state.H + h);
    }

    /// <summary>σ0(x) = ROTR7(x) ⊕ ROTR18(x) ⊕ SHR3(x), per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> SmallSigma0(Vector128<uint> x) =>
        (x >>> 7) ^ (x << 25) ^ (x >>> 18) ^ (x << 14) ^ (x >>> 3);

    /// <summary>σ1(x) = ROTR17(x) ⊕ ROTR19(x) ⊕ SHR10(x), per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> SmallSigma1(Vector128<uint> x) =>
        (x >>> 17) ^ (x << 15) ^ (x >>> 19) ^ (x << 13) ^ (x >>> 10);

    /// <summary>
    /// One round: T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t]; the new e is d + T1, the new a is T1 + Σ0(a) + Maj(a,b,c).
    /// Written with fewer operations than the standard's form, same values: Σ1(e) = ROTR6(e ⊕ ROTR5(e ⊕ ROTR14(e))),
    /// Σ0(a) = ROTR2(a ⊕ ROTR11(a ⊕ ROTR9(a))), Ch = ((f ⊕ g) ∧ e) ⊕ g, Maj = ((a ⊕ b) ∧ (b ⊕ c)) ⊕ b.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(uint a, uint b, uint c, ref uint d, uint e, uint f, uint g, ref uint h, uint kw)
    {
        var t1 = h + BitOperations.RotateRight(e ^ BitOperations.RotateRight(e ^ BitOperations.RotateRight(e, 14), 5), 6)
            + (((f ^ g) & e) ^ g) + kw;
        d += t1;
        h = t1 + BitOperations.RotateRight(a ^ BitOperations.RotateRight(a ^ BitOperations.RotateRight(a, 9), 11), 2)
            + (((a ^ b) & (b ^ c)) ^ b);
    }

    /// <summary>The eight 32-bit working words of SHA-256 between blocks.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1034:Nested types should not be visible", Justification = "Internal type.")]
    internal readonly record struct State(uint A, uint B, uint C, uint D, uint E, uint F, uint G, uint H)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WriteTo(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, A);
            BinaryPrimitives.WriteUInt32BigEndian(destination[4..], B);
            BinaryPrimitives.WriteUInt32BigEndian(destination[8..], C);
            BinaryPrimitives.WriteUInt32BigEndian(destination[12..], D);
            BinaryPrimitives.WriteUInt32BigEndian(destination[16..], E);
            BinaryPrimitives.WriteUInt32BigEndian(destination[20..], F);
            BinaryPrimitives.WriteUInt32BigEndian(destination[24..], G);
            BinaryPrimitives.WriteUInt32BigEndian(destination[28..], H);
        }
    }

    /// <summary>
    /// An HMAC-SHA256 key reduced to the states after the first block of each hash: SHA-256 state over K0 ⊕ ipad and over
    /// K0 ⊕ opad (RFC 2104; K0 is the key zero-padded to 64 bytes, or its SHA-256 digest when longer). Key-equivalent:
    /// whoever holds it can compute the HMAC, so it is kept like the key.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1034:Nested types should not be visible", Justification = "Internal type.")]
    internal readonly struct HmacKey
    {
        public HmacKey(ReadOnlySpan<byte> key)
        {
            Span<byte> pad = stackalloc byte[BlockBytes];
            pad.Clear();
            if (key.Length > BlockBytes)
            {
                Hash(key, pad);
            }
            else
            {
                key.CopyTo(pad);
            }

            for (var i = 0; i < BlockBytes; i++)
            {
                pad[i] ^= 0x36;
            }

            var inner = InitialState;
            Compress(ref inner, pad);
            for (var i = 0; i < BlockBytes; i++)
            {
                pad[i] ^= 0x36 ^ 0x5c;
            }

            var outer = InitialState;
            Compress(ref outer, pad);
            CryptographicOperations.ZeroMemory(pad);
            Inner = inner;
            Outer = outer;
        }

        public State Inner { get; }

        public State Outer { get; }
    }
}
