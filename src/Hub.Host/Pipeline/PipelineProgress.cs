namespace Hub.Host.Pipeline;

/// <summary>
/// In-process counters of the pipeline, so a one-shot command (<c>hub demo</c>, <c>hub ingest</c>) knows when
/// everything it published was processed. Counts only; no identifiers.
/// </summary>
internal sealed class PipelineProgress
{
    private long _published;
    private long _processed;
    private long _failed;
    private long _parked;

    public long Published => Interlocked.Read(ref _published);

    public long Processed => Interlocked.Read(ref _processed);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events the bus did not take, parked in the database to be published again.</summary>
    public long Parked => Interlocked.Read(ref _parked);

    public void OnPublished() => Interlocked.Increment(ref _published);

    public void OnProcessed() => Interlocked.Increment(ref _processed);

    public void OnFailed() => Interlocked.Increment(ref _failed);

    public void OnParked() => Interlocked.Increment(ref _parked);

    /// <summary>Everything published was processed or failed.</summary>
    public bool Settled => Processed + Failed >= Published;
}
