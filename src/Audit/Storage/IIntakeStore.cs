namespace Hub.Audit.Storage;

/// <summary>A stored reject: where it stood and why. Never holds patient identifiers.</summary>
/// <param name="FeedId">The feed.</param>
/// <param name="SourceName">The file name or <c>http</c>.</param>
/// <param name="SourceSha256">The input's content hash.</param>
/// <param name="SourceRecordId">The record id, when one could be read (a record number, never a name).</param>
/// <param name="Reason">What is wrong.</param>
/// <param name="Location">Where: line, column, element path.</param>
/// <param name="RecordedAtUtc">When it was recorded.</param>
public sealed record StoredReject(string FeedId, string SourceName, string SourceSha256, string? SourceRecordId, string Reason, string Location, DateTimeOffset RecordedAtUtc);

/// <summary>Counts of one ingested input, by outcome.</summary>
/// <param name="FeedId">The feed.</param>
/// <param name="SourceName">File name or <c>http</c>.</param>
/// <param name="SourceSha256">Content hash.</param>
/// <param name="Overdose">Overdose events.</param>
/// <param name="NotOverdose">Counted non-events.</param>
/// <param name="Rejected">Rejects.</param>
/// <param name="CompletedAtUtc">When reading finished.</param>
/// <param name="Warnings">Non-fatal problems found (e.g. XSD warnings in lenient mode); the records were still processed.</param>
public sealed record IntakeSummary(string FeedId, string SourceName, string SourceSha256, int Overdose, int NotOverdose, int Rejected, DateTimeOffset CompletedAtUtc, int Warnings = 0);

/// <summary>A stored warning: a non-fatal problem of a record that was still processed. Never holds patient identifiers.</summary>
/// <param name="FeedId">The feed.</param>
/// <param name="SourceName">The file name or <c>http</c>.</param>
/// <param name="SourceSha256">The input's content hash.</param>
/// <param name="SourceRecordId">The record id, when one could be read (a record number, never a name).</param>
/// <param name="Message">What is wrong and where (the readers put the line and element path in it; values are masked).</param>
/// <param name="RecordedAtUtc">When it was recorded.</param>
public sealed record StoredWarning(string FeedId, string SourceName, string SourceSha256, string? SourceRecordId, string Message, DateTimeOffset RecordedAtUtc);

/// <summary>What <see cref="IIntakeStore.TryTakeOverAsync"/> found.</summary>
public enum TakeOverResult
{
    /// <summary>The input was read to its end before: a duplicate.</summary>
    Finished,

    /// <summary>Someone is reading it (its claim or progress is recent): leave it and look again later.</summary>
    InProgress,

    /// <summary>It was left unfinished and is now this caller's to read again from the start.</summary>
    TakenOver,
}

/// <summary>What <see cref="IIntakeStore.TryTakeOverAsync"/> found, and when a taken-over input was first claimed.</summary>
/// <param name="Result">Finished, in progress, or taken over.</param>
/// <param name="FirstClaimedAtUtc">With <see cref="TakeOverResult.TakenOver"/>: when the stopped reader claimed it (what it
/// may have sent is in the ledger after that time).</param>
public readonly record struct TakeOver(TakeOverResult Result, DateTimeOffset? FirstClaimedAtUtc = null);

/// <summary>File claims (exactly-once ingest by content hash across hub instances), rejects, and per-input counts.</summary>
public interface IIntakeStore
{
    /// <summary>Claims an input by its SHA-256 for a feed; false when it was already claimed (by any instance).</summary>
    Task<bool> TryClaimAsync(string feedId, string sha256, string sourceName, CancellationToken cancellationToken);

    /// <summary>
    /// For an input already claimed: takes it over when it was never finished (the process reading it stopped or
    /// crashed): it has no counts, and neither its claim nor its progress was touched since <paramref name="staleBefore"/>.
    /// The claim is renewed and the earlier attempt's rejects and warnings are removed, in one transaction, so the
    /// input is read again from the start by exactly one instance.
    /// </summary>
    Task<TakeOver> TryTakeOverAsync(string feedId, string sha256, DateTimeOffset staleBefore, CancellationToken cancellationToken);

    /// <summary>Stores rejects.</summary>
    Task AddRejectsAsync(IReadOnlyList<StoredReject> rejects, CancellationToken cancellationToken);

    /// <summary>Stores warnings (the intake keeps the first ones of each input and counts the rest in its summary).</summary>
    Task AddWarningsAsync(IReadOnlyList<StoredWarning> warnings, CancellationToken cancellationToken);

    /// <summary>Lists warnings of a feed, newest first.</summary>
    Task<IReadOnlyList<StoredWarning>> ListWarningsAsync(string feedId, int max, CancellationToken cancellationToken);

    /// <summary>Stores the counts of a completed input.</summary>
    Task AddSummaryAsync(IntakeSummary summary, CancellationToken cancellationToken);

    /// <summary>Lists rejects of a feed, newest first.</summary>
    Task<IReadOnlyList<StoredReject>> ListRejectsAsync(string feedId, int max, CancellationToken cancellationToken);

    /// <summary>Lists input summaries of a feed, newest first.</summary>
    Task<IReadOnlyList<IntakeSummary>> ListSummariesAsync(string feedId, int max, CancellationToken cancellationToken);
}
