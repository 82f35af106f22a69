namespace Hub.Host.Delivery;

/// <summary>Ledger actions written by delivery beyond <see cref="Hub.Audit.Ledger.LedgerActions"/>.</summary>
internal static class DeliveryLedgerActions
{
    /// <summary>A webhook row failed its last attempt and left the outbox undelivered.</summary>
    public const string DeadLettered = "dead-lettered";

    /// <summary>An unacknowledged notification was sent again under the same message id.</summary>
    public const string Resent = "resent";

    /// <summary>A notification stayed unacknowledged after its re-send.</summary>
    public const string Escalated = "escalated";

    /// <summary>A reply (acknowledgment or outcome) was refused: wrong recipient or unknown notification. Ids only.</summary>
    public const string ReplyRejected = "reply-rejected";
}
