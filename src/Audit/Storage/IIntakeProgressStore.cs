namespace Hub.Audit.Storage;

/// <summary>
/// Progress of one input being read (or recently read), so an operator can see a large state export moving and spot one
/// that stopped. Counts and sizes only: never a value from the input.
/// </summary>
/// <param name="FeedId">The feed.</param>
/// <param name="Sha256">The input's content hash (with <paramref name="FeedId"/>, the key: one row per claimed input).</param>
/// <param name="SourceName">The file (or export folder) name.</param>
/// <param name="Instance">The hub instance reading it (host name and process id).</param>
/// <param name="StartedAtUtc">When reading started.</param>
/// <param name="UpdatedAtUtc">When progress was last written.</param>
/// <param name="BytesTotal">Size of the input in bytes (0 when unknown).</param>
/// <param name="BytesDone">Bytes read so far (the stream position; 0 when unknown).</param>
/// <param name="RecordsDone">Records read so far (every outcome: overdose, not overdose, rejected).</param>
/// <param name="RecordsPerSecond">Records per second since reading started.</param>
/// <param name="FinishedAtUtc">When reading finished; null while it runs (or when the reader died).</param>
public sealed record IntakeProgress(
    string FeedId,
    string Sha256,
    string SourceName,
    string Instance,
    DateTimeOffset StartedAtUtc,
    DateTimeOffset UpdatedAtUtc,
    long BytesTotal,
    long BytesDone,
    long RecordsDone,
    double RecordsPerSecond,
    DateTimeOffset? FinishedAtUtc)
{
    /// <summary>Percent of the bytes read, or null when the size or position is unknown.</summary>
    public double? PercentDone => BytesTotal > 0 ? Math.Clamp(100.0 * BytesDone / BytesTotal, 0, 100) : null;

    /// <summary>True while reading has not finished.</summary>
    public bool IsRunning => FinishedAtUtc is null;

    /// <summary>
    /// True when the input is not finished and its progress was not written for longer than <paramref name="stalledAfter"/>:
    /// the reader is stuck, or the instance reading it stopped.
    /// </summary>
    public bool IsStalled(DateTimeOffset nowUtc, TimeSpan stalledAfter) => FinishedAtUtc is null && nowUtc - UpdatedAtUtc > stalledAfter;
}

/// <summary>
/// Progress rows of inputs being ingested (table <c>intake_progress</c>, one row per feed and content hash), written by
/// the instance reading the input and read by <c>hub feeds list</c> and the console. Every write is an upsert, so a
/// lost start or a repeated finish does no harm.
/// </summary>
public interface IIntakeProgressStore
{
    /// <summary>Records that reading of an input started (replaces an older row of the same feed and hash).</summary>
    Task StartAsync(IntakeProgress progress, CancellationToken cancellationToken);

    /// <summary>Records progress of a running input (keeps its start time; inserts the row when the start was lost).</summary>
    Task UpdateAsync(IntakeProgress progress, CancellationToken cancellationToken);

    /// <summary>Records that an input finished (<see cref="IntakeProgress.FinishedAtUtc"/>, else its update time, is the finish time).</summary>
    Task FinishAsync(IntakeProgress progress, CancellationToken cancellationToken);

    /// <summary>
    /// Inputs of one feed (or of every feed when <paramref name="feedId"/> is null) that are running, or that finished at or
    /// after <paramref name="finishedSinceUtc"/>; running first, then newest start first.
    /// </summary>
    Task<IReadOnlyList<IntakeProgress>> ListAsync(string? feedId, DateTimeOffset finishedSinceUtc, int max, CancellationToken cancellationToken);
}
