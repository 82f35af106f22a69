using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hub.Deidentification.Methods;

/// <summary>
/// One SHA-256 compression by OpenSSL's <c>SHA256_Transform</c>, called directly. Why: .NET has no intrinsics for the x86
/// SHA extensions, so the managed compression costs about 0.35 µs per block, while OpenSSL's takes about 0.06 µs with them;
/// and .NET's own hashing API adds about 0.7 µs of plumbing per call (error queue, context reset), which is what
/// <see cref="ShortSha256"/> avoids. This is the same libcrypto .NET already loads for its cryptography on Linux. Used only
/// when it is found <b>and</b> gives the managed compression's result on a self-test at start; otherwise (Windows, macOS,
/// an OpenSSL built without the deprecated low-level API) <see cref="ShortSha256.CompressManaged"/> is used. Either way
/// the output is FIPS 180-4 SHA-256, checked against .NET's HMACSHA256 by the tests.
/// </summary>
internal static unsafe class NativeSha256Block
{
    /// <summary>Words in OpenSSL's <c>SHA256_CTX</c> (h[8], Nl, Nh, data[16], num, md_len): the transform is given a whole one.</summary>
    private const int ContextWords = 28;

    /// <summary><c>void SHA256_Transform(SHA256_CTX *c, const unsigned char *data)</c>: pure computation over 64 bytes, so no GC transition is needed.</summary>
    private static readonly delegate* unmanaged[SuppressGCTransition]<uint*, byte*, void> Transform = Find();

    /// <summary>True when OpenSSL's compression is used.</summary>
    public static bool IsAvailable { get; } = Transform != null && SelfTest();

    /// <summary>One compression of <paramref name="block"/> (64 bytes) into <paramref name="state"/>. Only when <see cref="IsAvailable"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compress(ref ShortSha256.State state, ReadOnlySpan<byte> block)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, ShortSha256.BlockBytes);
        var context = stackalloc uint[ContextWords];
        context[0] = state.A;
        context[1] = state.B;
        context[2] = state.C;
        context[3] = state.D;
        context[4] = state.E;
        context[5] = state.F;
        context[6] = state.G;
        context[7] = state.H;
        fixed (byte* data = block)
        {
            Transform(context, data);
        }

        state = new ShortSha256.State(context[0], context[1], context[2], context[3], context[4], context[5], context[6], context[7]);
    }

    private static delegate* unmanaged[SuppressGCTransition]<uint*, byte*, void> Find()
    {
        if (!OperatingSystem.IsLinux() || (AppContext.TryGetSwitch("Hub.Deidentification.ManagedSha256", out var managedOnly) && managedOnly))
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "SHA256_Transform", out var transform))
            {
                return (delegate* unmanaged[SuppressGCTransition]<uint*, byte*, void>)transform;
            }
        }

        return null;
    }

    /// <summary>The native compression must equal the managed one on a few blocks chained from the initial state.</summary>
    private static bool SelfTest()
    {
        try
        {
            Span<byte> block = stackalloc byte[ShortSha256.BlockBytes];
            var native = ShortSha256.InitialState;
            var managed = ShortSha256.InitialState;
            for (var round = 0; round < 4; round++)
            {
                for (var i = 0; i < block.Length; i++)
                {
                    block[i] = (byte)((i * 31) + (round * 97) + 7);
                }

                Compress(ref native, block);
                ShortSha256.CompressManaged(ref managed, block);
            }

            return native == managed;
        }
#pragma warning disable CA1031 // Any failure of the optional native path means the managed path is used.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
