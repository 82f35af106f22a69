using Microsoft.Win32.SafeHandles;

namespace Hub.Adapters.Fhir.Ndjson;

/// <summary>Reads an NDJSON line again by its byte range (pass 2 of a spilled read).</summary>
internal abstract class NdjsonLineSource : IDisposable
{
    private byte[] buffer = new byte[16 * 1024];

    /// <summary>The bytes of a line; valid until the next call.</summary>
    public ReadOnlySpan<byte> Read(int file, long offset, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var span = buffer.AsSpan(0, length);
        var read = ReadAt(file, offset, span);
        return span[..read];
    }

    public virtual void Dispose()
    {
    }

    /// <summary>Reads up to <c>into.Length</c> bytes at <paramref name="offset"/>; fewer only when the input changed.</summary>
    protected abstract int ReadAt(int file, long offset, Span<byte> into);

    /// <summary>One seekable stream (a single NDJSON file, or a stream already spilled to a temp file).</summary>
    public sealed class FromStream(Stream stream, long start) : NdjsonLineSource
    {
        protected override int ReadAt(int file, long offset, Span<byte> into)
        {
            stream.Position = start + offset;
            return stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
        }
    }

    /// <summary>The files of a Bulk export folder; one handle open at a time (reads come sorted by file).</summary>
    public sealed class FromFiles(IReadOnlyList<string> paths) : NdjsonLineSource
    {
        private SafeFileHandle? handle;
        private int current = -1;

        protected override int ReadAt(int file, long offset, Span<byte> into)
        {
            if (file != current)
            {
                handle?.Dispose();
                handle = File.OpenHandle(paths[file], FileMode.Open, FileAccess.Read, FileShare.Read);
                current = file;
            }

            var total = 0;
            while (total < into.Length)
            {
                var read = RandomAccess.Read(handle!, into[total..], offset + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        public override void Dispose()
        {
            handle?.Dispose();
            handle = null;
            base.Dispose();
        }
    }
}
