using System.Buffers;
using System.Runtime.CompilerServices;

namespace Hub.Adapters.Fhir;

/// <summary>
/// One NDJSON line. <see cref="Bytes"/> is only valid until the next line is read. <see cref="Offset"/> is the byte
/// offset of the line's first byte from where reading started, so a later pass can read the line again by offset.
/// </summary>
internal readonly record struct NdjsonLine(int Number, ReadOnlyMemory<byte> Bytes, bool TooLong, long Offset = 0);

/// <summary>Splits a stream into lines with one pooled buffer (memory bound: the longest line, capped).</summary>
internal static class NdjsonLineReader
{
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var start = 0;
        var end = 0;
        long bufferBase = 0; // stream offset (from where reading started) of buffer[0]
        var number = 0;
        var skipping = false;
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var length = newline;
                    start += newline + 1;
                    if (skipping)
                    {
                        skipping = false;
                        continue;
                    }

                    number++;
                    var lineStart = start - newline - 1;
                    if (length > 0 && buffer[lineStart + length - 1] == (byte)'\r')
                    {
                        length--;
                    }

                    if (!IsBlank(buffer.AsSpan(lineStart, length)))
                    {
                        yield return new NdjsonLine(number, buffer.AsMemory(lineStart, length), false, bufferBase + lineStart);
                    }

                    continue;
                }

                if (end - start >= maxLineBytes && !skipping)
                {
                    number++;
                    skipping = true;
                    yield return new NdjsonLine(number, default, true);
                }

                if (skipping)
                {
                    bufferBase += end;
                    start = end = 0;
                }
                else if (start > 0)
                {
                    bufferBase += start;
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (end > start && !skipping)
                    {
                        number++;
                        if (!IsBlank(buffer.AsSpan(start, end - start)))
                        {
                            yield return new NdjsonLine(number, buffer.AsMemory(start, end - start), false, bufferBase + start);
                        }
                    }

                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
