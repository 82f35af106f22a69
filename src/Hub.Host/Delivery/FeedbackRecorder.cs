using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;

namespace Hub.Host.Delivery;

/// <summary>The outcome of recording a recipient's reply.</summary>
internal enum FeedbackResult
{
    /// <summary>Written to the ledger.</summary>
    Recorded,

    /// <summary>The message names another recipient than the one that sent it.</summary>
    RecipientMismatch,

    /// <summary>No notification with that id was sent to this recipient.</summary>
    UnknownNotification,
}

/// <summary>
/// The one path by which acknowledgments and outcomes enter the ledger, whatever the channel (reply queue, HTTP):
/// the sender must be the recipient the message names, and the notification must have been disclosed to it.
/// </summary>
internal sealed partial class FeedbackRecorder(ILedger ledger, IOutbox outbox, DeliveryTracker tracker, TimeProvider time, ILogger<FeedbackRecorder> logger)
{
    public async Task<FeedbackResult> AcknowledgeAsync(string sender, NotificationAcknowledged message, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var check = await CheckAsync(sender, message.RecipientId, message.NotificationId, cancellationToken).ConfigureAwait(false);
        if (check != FeedbackResult.Recorded)
        {
            LogRejected(logger, message.NotificationId, sender, check);
            return check;
        }

        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = sender,
                    Action = LedgerActions.Acknowledged,
                    RecipientId = sender,
                    CorrelationId = message.NotificationId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(new { episodeId = message.EpisodeId, by = message.AcknowledgedBy, at = message.OccurredAtUtc, channel }, HubJson.Options),
                },
            ],
            cancellationToken).ConfigureAwait(false);
        tracker.Acknowledged(message.NotificationId, time.GetUtcNow());
        return FeedbackResult.Recorded;
    }

    public async Task<FeedbackResult> ReportOutcomeAsync(string sender, OutreachOutcomeReported message, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var check = await CheckAsync(sender, message.RecipientId, message.NotificationId, cancellationToken).ConfigureAwait(false);
        if (check != FeedbackResult.Recorded)
        {
            LogRejected(logger, message.NotificationId, sender, check);
            return check;
        }

        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = sender,
                    Action = LedgerActions.OutcomeReported,
                    RecipientId = sender,
                    CorrelationId = message.NotificationId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(new { episodeId = message.EpisodeId, outcome = message.Outcome.ToString(), by = message.ReportedBy, at = message.OccurredAtUtc, channel }, HubJson.Options),
                },
            ],
            cancellationToken).ConfigureAwait(false);

        // An outcome implies the notification was received.
        tracker.Acknowledged(message.NotificationId, time.GetUtcNow());
        return FeedbackResult.Recorded;
    }

    private async Task<FeedbackResult> CheckAsync(string sender, string named, Guid notificationId, CancellationToken cancellationToken)
    {
        if (!string.Equals(sender, named, StringComparison.Ordinal))
        {
            return FeedbackResult.RecipientMismatch;
        }

        if (tracker.RecipientOf(notificationId) is { } known)
        {
            return known == sender ? FeedbackResult.Recorded : FeedbackResult.UnknownNotification;
        }

        // Delivered before this process started: the outbox row (kept for good; only its payload is purged) is the proof.
        return await outbox.RecipientOfAsync(notificationId, cancellationToken).ConfigureAwait(false) == sender
            ? FeedbackResult.Recorded
            : FeedbackResult.UnknownNotification;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Reply about notification {NotificationId} from {RecipientId} refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid notificationId, string recipientId, FeedbackResult reason);
}
