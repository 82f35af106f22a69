using Hub.Audit.Ledger;

namespace Hub.Audit.Outbox;

/// <summary>A message waiting to leave the hub, stored with its disclosure entry in one transaction.</summary>
public sealed record OutboxMessage
{
    /// <summary>Stable message id: redelivery under the same id is harmless.</summary>
    public required Guid MessageId { get; init; }

    /// <summary>The recipient.</summary>
    public required string RecipientId { get; init; }

    /// <summary>Delivery channel: <c>queue</c>, <c>webhook</c> or <c>inbox</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>Channel destination: queue name, webhook URL, or empty for the inbox.</summary>
    public required string Destination { get; init; }

    /// <summary>The message type's wire name (URN).</summary>
    public required string MessageType { get; init; }

    /// <summary>The JSON body (PHI as the profile allows; stored encrypted at rest where configured).</summary>
    public required string PayloadJson { get; init; }

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }
}

/// <summary>The transactional outbox. A disclosure and its outgoing message are written together or not at all.</summary>
public interface IOutbox
{
    /// <summary>Writes the disclosure ledger entry and the outbox row in ONE transaction.</summary>
    Task<LedgerEntry> EnqueueAsync(LedgerEntryDraft disclosure, OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Returns up to <paramref name="max"/> undelivered rows, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>Marks a row delivered and appends the <c>delivered</c> ledger entry, in one transaction. Idempotent.</summary>
    Task MarkDeliveredAsync(Guid messageId, LedgerEntryDraft delivered, CancellationToken cancellationToken);

    /// <summary>
    /// The recipient a message was disclosed to, or null when there is no such message. Rows stay after delivery and
    /// after retention (only the payload is purged), so this answers for every notification the hub ever sent.
    /// </summary>
    Task<string?> RecipientOfAsync(Guid messageId, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt (the row stays pending).</summary>
    Task RecordFailedAttemptAsync(Guid messageId, string error, CancellationToken cancellationToken);
}
