using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Hub.Adapters.Feeds;

namespace Hub.Host.Feeds;

/// <summary>Inbox watcher settings (section <c>Hub:Watcher</c>).</summary>
internal sealed class WatcherOptions
{
    public const string Section = "Hub:Watcher";

    /// <summary>How often each inbox is scanned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A file is read only once its size and time stamp stayed unchanged this long (never half-written).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often progress of an input being read is logged and written to <c>intake_progress</c> (plus once at its end).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>hub feeds list</c> marks an unfinished input as stalled when its progress is older than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Watches each feed's inbox folder. A file is claimed by its content hash (a copy or a rename is never ingested
/// twice, across hub instances), only once it has stopped changing and never while its name marks it as being
/// written (<c>.tmp</c>, <c>.part</c>, dot-files). Afterwards it moves to <c>processed/</c> (or
/// <c>duplicates/</c>, or <c>failed/</c> when it could not be read at all).
/// </summary>
internal sealed partial class InboxWatcher(
    FeedCatalog catalog,
    FeedIntake intake,
    IOptions<WatcherOptions> options,
    TimeProvider time,
    ILogger<InboxWatcher> logger) : BackgroundService
{
    public const string Processed = "processed";
    public const string Duplicates = "duplicates";
    public const string Failed = "failed";

    private static readonly string[] WorkFolders = [Processed, Duplicates, Failed];
    private readonly ConcurrentDictionary<string, (long Size, DateTime Modified, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

    // Inputs another reader is reading (or whose reader stopped moments ago): not hashed again before this time.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _busyUntil = new(StringComparer.Ordinal);

    /// <summary>Scans every inbox once; returns the number of inputs taken (ingested or recognized as duplicates).</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var taken = 0;
        foreach (var feed in catalog.All.Where(f => !string.IsNullOrWhiteSpace(f.Inbox)))
        {
            var inbox = Path.GetFullPath(feed.Inbox!);
            Directory.CreateDirectory(inbox);
            foreach (var candidate in Candidates(feed, inbox))
            {
                if (_busyUntil.TryGetValue(candidate, out var until) && time.GetUtcNow() < until)
                {
                    continue;
                }

                if (!IsStable(candidate))
                {
                    continue;
                }

                taken++;
                await TakeAsync(feed, inbox, candidate, cancellationToken).ConfigureAwait(false);
            }
        }

        return taken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(logger, ex);
            }

            await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<string> Candidates(FeedOptions feed, string inbox)
    {
        foreach (var file in Directory.EnumerateFiles(inbox).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".partial", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return file;
        }

        if (feed.Kind != FeedKind.Fhir)
        {
            yield break;
        }

        // A Bulk Data export arrives as a folder of NDJSON files.
        foreach (var folder in Directory.EnumerateDirectories(inbox).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (!name.StartsWith('.') && !WorkFolders.Contains(name, StringComparer.Ordinal))
            {
                yield return folder;
            }
        }
    }

    private bool IsStable(string path)
    {
        long size;
        DateTime modified;
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path).Select(f => new FileInfo(f)).ToList();
            if (files.Count == 0 || files.Any(f => f.Name.StartsWith('.') || f.Name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            size = files.Sum(f => f.Length);
            modified = files.Max(f => f.LastWriteTimeUtc);
        }
        else
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return false;
            }

            size = info.Length;
            modified = info.LastWriteTimeUtc;
        }

        var now = time.GetUtcNow();
        var seen = _seen.AddOrUpdate(
            path,
            _ => (size, modified, now),
            (_, old) => old.Size == size && old.Modified == modified ? old : (size, modified, now));
        return now - seen.Since >= options.Value.StableFor;
    }

    private async Task TakeAsync(FeedOptions feed, string inbox, string path, CancellationToken cancellationToken)
    {
        string destination;
        try
        {
            var result = await intake.IngestPathAsync(feed, path, cancellationToken).ConfigureAwait(false);
            if (result.Status == PathIngestStatus.InProgress)
            {
                // Someone reads it now, or its reader stopped moments ago: look again after a quarter of the stall
                // period, not at every scan (each look hashes the whole input).
                _busyUntil[path] = time.GetUtcNow() + options.Value.StalledAfter / 4;
                return;
            }

            destination = result.Status == PathIngestStatus.Duplicate ? Duplicates : Processed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FeedConfigurationException)
        {
            LogTakeFailed(logger, feed.Id, Path.GetFileName(path), ex.GetType().Name);
            destination = Failed;
        }

        _seen.TryRemove(path, out _);
        _busyUntil.TryRemove(path, out _);
        MoveAside(inbox, path, destination);
    }

    private void MoveAside(string inbox, string path, string folder)
    {
        var target = Path.Combine(inbox, folder);
        Directory.CreateDirectory(target);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        var destination = Path.Combine(target, name);
        if (File.Exists(destination) || Directory.Exists(destination))
        {
            destination = Path.Combine(target, $"{time.GetUtcNow():yyyyMMddHHmmssfff}-{name}");
        }

        if (Directory.Exists(path))
        {
            Directory.Move(path, destination);
        }
        else
        {
            File.Move(path, destination);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Inbox scan failed; retrying at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Feed {FeedId}: {Source} could not be read ({Error}); moved to failed/")]
    private static partial void LogTakeFailed(ILogger logger, string feedId, string source, string error);
}
