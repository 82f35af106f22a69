namespace Hub.Audit.Ledger;

/// <summary>The ledger actions the hub records. Stored as these strings.</summary>
public static class LedgerActions
{
    /// <summary>A file or bundle was received (hash, feed, counts).</summary>
    public const string Received = "received";

    /// <summary>An overdose event was detected.</summary>
    public const string Detected = "detected";

    /// <summary>An event was linked into an episode.</summary>
    public const string Linked = "linked";

    /// <summary>A consent decision (permit or deny, with reasons).</summary>
    public const string ConsentDecided = "consent-decided";

    /// <summary>A disclosure to a recipient (written with its outbox row in one transaction).</summary>
    public const string Disclosed = "disclosed";

    /// <summary>A disclosure was delivered (broker confirm, webhook 2xx, inbox stored).</summary>
    public const string Delivered = "delivered";

    /// <summary>A recipient acknowledged a notification.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>A recipient reported an outreach outcome.</summary>
    public const string OutcomeReported = "outcome-reported";

    /// <summary>A console page was viewed or an export made.</summary>
    public const string Viewed = "viewed";

    /// <summary>Configuration changed (rule files, agreements, recipients).</summary>
    public const string ConfigurationChanged = "configuration-changed";
}

/// <summary>
/// What the caller supplies for a ledger entry; the ledger adds sequence, time and the hash chain.
/// No PHI: persons appear only as <see cref="PersonPseudonym"/>.
/// </summary>
public sealed record LedgerEntryDraft
{
    /// <summary>Who acted: <c>hub</c>, a feed id, a user name, a recipient id.</summary>
    public required string Actor { get; init; }

    /// <summary>One of <see cref="LedgerActions"/>.</summary>
    public required string Action { get; init; }

    /// <summary>Correlation id tying the entries of one flow together (e.g. the event or notification id).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The feed, when the entry concerns one.</summary>
    public string? FeedId { get; init; }

    /// <summary>The recipient, when the entry concerns one.</summary>
    public string? RecipientId { get; init; }

    /// <summary>The data-sharing agreement, for disclosures.</summary>
    public string? AgreementId { get; init; }

    /// <summary>Purpose of use, for disclosures.</summary>
    public string? Purpose { get; init; }

    /// <summary>Legal basis, for disclosures.</summary>
    public string? LegalBasis { get; init; }

    /// <summary>Disclosure profile and rule-set version, e.g. <c>identified-outreach@2026-11-01</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The person as the hub's pseudonym (never an identifier).</summary>
    public string? PersonPseudonym { get; init; }

    /// <summary>Fields disclosed, for disclosures.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>SHA-256 of the disclosed payload, hex.</summary>
    public string? PayloadSha256 { get; init; }

    /// <summary>Further machine-readable details as a JSON object (counts, reasons). No PHI.</summary>
    public string? DetailsJson { get; init; }
}

/// <summary>An entry as stored: the draft plus sequence, time and the hash chain.</summary>
public sealed record LedgerEntry
{
    /// <summary>1-based, gap-free sequence number.</summary>
    public required long Sequence { get; init; }

    /// <summary>When it was appended, UTC.</summary>
    public required DateTimeOffset TimestampUtc { get; init; }

    /// <summary>The content.</summary>
    public required LedgerEntryDraft Content { get; init; }

    /// <summary>The previous entry's hash (64 zeros for the first), hex.</summary>
    public required string PreviousHash { get; init; }

    /// <summary>SHA-256 over the previous hash and this entry's canonical content, hex.</summary>
    public required string Hash { get; init; }
}

/// <summary>The append-only, hash-chained disclosure ledger.</summary>
public interface ILedger
{
    /// <summary>Appends entries in one transaction (group commit) and returns them as stored.</summary>
    Task<IReadOnlyList<LedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntryDraft> drafts, CancellationToken cancellationToken);

    /// <summary>Reads entries in sequence order from <paramref name="fromSequence"/>.</summary>
    IAsyncEnumerable<LedgerEntry> ReadAsync(long fromSequence, CancellationToken cancellationToken);

    /// <summary>
    /// The <c>detected</c> entries written since <paramref name="sinceUtc"/>: event id (correlation id) → details of its
    /// newest entry. How an input read again after its reader stopped finds the events that reader already sent.
    /// Scans the entries since that time (no index: it is asked once per input taken over).
    /// </summary>
    Task<IReadOnlyDictionary<string, string?>> DetectedSinceAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken);
}
