using System.Security.Cryptography;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Host.Feeds;

/// <summary>Counts of one input, by outcome.</summary>
/// <summary>What became of one file or export folder handed to intake.</summary>
internal enum PathIngestStatus
{
    /// <summary>Read to its end.</summary>
    Ingested,

    /// <summary>Claimed before and left unfinished by a reader that stopped; read again from the start, to its end.</summary>
    Resumed,

    /// <summary>The same content was read to its end before.</summary>
    Duplicate,

    /// <summary>Claimed and being read by someone else (or by a reader that stopped less than a stall period ago).</summary>
    InProgress,
}

/// <summary>The status of one path, and its counts when it was read.</summary>
internal sealed record PathIngest(PathIngestStatus Status, IngestCounts? Counts = null);

internal sealed record IngestCounts(int Overdose, int NotOverdose, int Rejected)
{
    public int Total => Overdose + NotOverdose + Rejected;
}

/// <summary>Helpers shared by the watcher, the CLI and HTTP intake to read one input with its provenance.</summary>
internal static class IngestRun
{
    /// <summary>Hashes a file (SHA-256, lower-case hex), streaming.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Hashes a folder input (Bulk NDJSON export): SHA-256 over each file's name and hash, in name order.</summary>
    public static async Task<string> HashFolderAsync(string folder, CancellationToken cancellationToken)
    {
        using var combined = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            combined.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            combined.AppendData(System.Text.Encoding.UTF8.GetBytes(await HashFileAsync(file, cancellationToken).ConfigureAwait(false) + "\n"));
        }

        return Convert.ToHexStringLower(combined.GetHashAndReset());
    }

    /// <summary>Reads a file or folder with the feed's reader; the stream is opened and closed here.</summary>
    public static IAsyncEnumerable<RecordOutcome> ReadPathAsync(
        IFeedReader reader, string path, string sha256, DateTimeOffset receivedAtUtc, CancellationToken cancellationToken) =>
        ReadPathAsync(reader, path, sha256, receivedAtUtc, position: null, cancellationToken);

    /// <summary>
    /// Reads a file or folder with the feed's reader; the stream is opened and closed here. <paramref name="position"/>,
    /// when given, follows the bytes read (the stream position of a file; the total only, for a folder).
    /// </summary>
    public static async IAsyncEnumerable<RecordOutcome> ReadPathAsync(
        IFeedReader reader, string path, string sha256, DateTimeOffset receivedAtUtc, IngestPosition? position,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (Directory.Exists(path))
        {
            position?.SetTotal(Directory.EnumerateFiles(path).Sum(f => new FileInfo(f).Length));
            var folder = new SourceDocument(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), sha256, receivedAtUtc, Path.GetFullPath(path));
            await foreach (var outcome in reader.ReadAsync(null, folder, cancellationToken).ConfigureAwait(false))
            {
                yield return outcome;
            }

            yield break;
        }

        var source = new SourceDocument(Path.GetFileName(path), sha256, receivedAtUtc, Path.GetFullPath(path));
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        position?.Attach(stream);
        try
        {
            await foreach (var outcome in reader.ReadAsync(stream, source, cancellationToken).ConfigureAwait(false))
            {
                yield return outcome;
            }
        }
        finally
        {
            position?.Detach();
        }
    }

    /// <summary>Adds an outcome to running counts.</summary>
    public static IngestCounts Add(IngestCounts counts, RecordOutcomeKind kind) => kind switch
    {
        RecordOutcomeKind.Overdose => counts with { Overdose = counts.Overdose + 1 },
        RecordOutcomeKind.NotOverdose => counts with { NotOverdose = counts.NotOverdose + 1 },
        _ => counts with { Rejected = counts.Rejected + 1 },
    };
}

/// <summary>
/// How far reading of one input got, in bytes: the position of the file stream the reader consumes (readers buffer, so
/// it runs a little ahead of the records yielded). For a folder input only the total is known.
/// </summary>
internal sealed class IngestPosition
{
    private Stream? _stream;
    private long _done;

    /// <summary>Size of the input in bytes (0 when unknown).</summary>
    public long Total { get; private set; }

    /// <summary>Bytes read so far (the last known position once the stream is closed).</summary>
    public long Done
    {
        get
        {
            if (_stream is { } stream)
            {
                try
                {
                    _done = stream.Position;
                }
                catch (ObjectDisposedException)
                {
                    _stream = null;
                }
            }

            return _done;
        }
    }

    internal void SetTotal(long total) => Total = Math.Max(0, total);

    /// <summary>Sets the bytes done (at the end of an input: all of it).</summary>
    internal void SetDone(long done)
    {
        _stream = null;
        _done = Math.Max(0, done);
    }

    internal void Attach(Stream stream)
    {
        _stream = stream;
        SetTotal(stream.CanSeek ? stream.Length : 0);
        _done = 0;
    }

    internal void Detach()
    {
        _ = Done;
        _stream = null;
    }
}
