using System.Runtime.CompilerServices;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Host.Delivery;

namespace Hub.Host.Tests.Delivery;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>An in-memory outbox and ledger with the SQL outbox's semantics (attempts counted, delivered rows leave).</summary>
internal sealed class InMemoryAudit(TimeProvider time) : IOutbox, ILedger
{
    private readonly List<OutboxMessage> _pending = [];
    private readonly Dictionary<Guid, string> _recipients = [];
    private readonly List<LedgerEntry> _entries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<LedgerEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task<LedgerEntry> EnqueueAsync(LedgerEntryDraft disclosure, OutboxMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _pending.Add(message);
            _recipients[message.MessageId] = message.RecipientId;
            return Task.FromResult(Append(disclosure));
        }
    }

    public Task<string?> RecipientOfAsync(Guid messageId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_recipients.GetValueOrDefault(messageId));
        }
    }

    public Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OutboxMessage>>([.. _pending.Take(max)]);
        }
    }

    public Task MarkDeliveredAsync(Guid messageId, LedgerEntryDraft delivered, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.RemoveAll(m => m.MessageId == messageId) > 0)
            {
                Append(delivered);
            }
        }

        return Task.CompletedTask;
    }

    public Task RecordFailedAttemptAsync(Guid messageId, string error, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = _pending.FindIndex(m => m.MessageId == messageId);
            if (i >= 0)
            {
                _pending[i] = _pending[i] with { Attempts = _pending[i].Attempts + 1 };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LedgerEntry>> AppendAsync(IReadOnlyList<LedgerEntryDraft> drafts, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LedgerEntry>>([.. drafts.Select(Append)]);
        }
    }

    public async IAsyncEnumerable<LedgerEntry> ReadAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var e in Entries.Where(e => e.Sequence >= fromSequence))
        {
            yield return e;
        }
    }

    public Task<IReadOnlyDictionary<string, string?>> DetectedSinceAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken)
    {
        var detected = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in Entries.Where(e => e.Content.Action == LedgerActions.Detected && e.Content.CorrelationId is not null && e.TimestampUtc >= sinceUtc))
        {
            detected[e.Content.CorrelationId!] = e.Content.DetailsJson;
        }

        return Task.FromResult<IReadOnlyDictionary<string, string?>>(detected);
    }

    private LedgerEntry Append(LedgerEntryDraft draft)
    {
        var entry = new LedgerEntry
        {
            Sequence = _entries.Count + 1,
            TimestampUtc = time.GetUtcNow(),
            Content = draft,
            PreviousHash = _entries.Count == 0 ? "" : _entries[^1].Hash,
            Hash = Guid.NewGuid().ToString("N"),
        };
        _entries.Add(entry);
        return entry;
    }
}

/// <summary>A recipient queue that records what was published.</summary>
internal sealed class RecordingQueue : IRecipientQueue
{
    public List<OutboxMessage> Published { get; } = [];

    public Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        Published.Add(message);
        return Task.CompletedTask;
    }
}
