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
    public Task<FeedbackResult> AcknowledgeAsync(string sender, NotificationAcknowledged message, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RecordAsync(
            sender, message.RecipientId, message.NotificationId, LedgerActions.Acknowledged,
            new { episodeId = message.EpisodeId, by = message.AcknowledgedBy, at = message.OccurredAtUtc, channel },
            cancellationToken);
    }

    public Task<FeedbackResult> ReportOutcomeAsync(string sender, OutreachOutcomeReported message, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RecordAsync(
            sender, message.RecipientId, message.NotificationId, LedgerActions.OutcomeReported,
            new { episodeId = message.EpisodeId, outcome = message.Outcome.ToString(), by = message.ReportedBy, at = message.OccurredAtUtc, channel },
            cancellationToken);
    }

    /// <summary>Checks the reply, appends its ledger entry and marks the notification received (an outcome implies receipt).</summary>
    private async Task<FeedbackResult> RecordAsync<TDetails>(
        string sender, string named, Guid notificationId, string action, TDetails details, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(sender, named, notificationId, cancellationToken).ConfigureAwait(false);
        if (check != FeedbackResult.Recorded)
        {
            LogRejected(logger, notificationId, sender, check);
            return check;
        }

        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = sender,
                    Action = action,
                    RecipientId = sender,
                    CorrelationId = notificationId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(details, HubJson.Options),
                },
            ],
            cancellationToken).ConfigureAwait(false);
        tracker.Acknowledged(notificationId, time.GetUtcNow());
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
