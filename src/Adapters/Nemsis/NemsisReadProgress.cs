namespace Hub.Adapters.Nemsis;

/// <summary>
/// Progress of one file being read, reported every <see cref="NemsisFeedSettings.ProgressInterval"/> records and once
/// at the end, so a host can show large state exports moving (records done, records/s). Counts only, no PHI.
/// </summary>
/// <param name="FeedId">The feed.</param>
/// <param name="Source">The file name.</param>
/// <param name="Records">Records read so far in this file (overdose + not overdose + rejected).</param>
/// <param name="Overdoses">Records classified as overdose.</param>
/// <param name="NotOverdoses">Records read that are not overdoses.</param>
/// <param name="Rejected">Rejected records (and document faults).</param>
/// <param name="Elapsed">Time since the file was opened.</param>
/// <param name="Completed">True for the final report of the file.</param>
public sealed record NemsisReadProgress(
    string FeedId,
    string Source,
    long Records,
    long Overdoses,
    long NotOverdoses,
    long Rejected,
    TimeSpan Elapsed,
    bool Completed)
{
    /// <summary>Records per second so far.</summary>
    public double RecordsPerSecond => Elapsed > TimeSpan.Zero ? Records / Elapsed.TotalSeconds : 0;
}
