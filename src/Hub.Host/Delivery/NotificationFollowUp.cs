using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Contracts.Serialization;

namespace Hub.Host.Delivery;

/// <summary>
/// Re-sends a notification that stayed unacknowledged for <see cref="FollowUpOptions.ResendAfter"/> (same message
/// id, so a recipient that did receive it drops the copy), and escalates it (ledger entry + log, ids only) when it
/// stays unacknowledged another <see cref="FollowUpOptions.EscalateAfter"/>. Driven by <see cref="TimeProvider"/>:
/// call <see cref="RunOnceAsync"/> from a job, or let <see cref="ExecuteAsync"/> run it every Interval.
/// </summary>
internal sealed partial class NotificationFollowUp(
    DeliveryTracker tracker,
    IRecipientQueue queue,
    WebhookSender webhooks,
    ILedger ledger,
    IOptions<HubDeliveryOptions> options,
    TimeProvider time,
    ILogger<NotificationFollowUp> logger) : BackgroundService
{
    /// <summary>Does what is due now; returns (re-sent, escalated).</summary>
    public async Task<(int Resent, int Escalated)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.FollowUp;
        if (o.ResendAfter <= TimeSpan.Zero)
        {
            return (0, 0);
        }

        int resent = 0, escalated = 0;
        foreach (var t in tracker.Unacknowledged())
        {
            var now = time.GetUtcNow();
            if (t.ResentAt is null && now >= t.DeliveredAt + o.ResendAfter)
            {
                try
                {
                    await OutboxDispatcher.SendAsync(queue, webhooks, t.Message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogResendFailed(logger, t.Message.MessageId, t.Message.RecipientId, ex.GetType().Name);
                    continue;
                }

                t.ResentAt = now;
                await AppendAsync(DeliveryLedgerActions.Resent, t.Message.RecipientId, t, new { channel = t.Message.Channel }, cancellationToken).ConfigureAwait(false);
                LogResent(logger, t.Message.MessageId, t.Message.RecipientId);
                resent++;
            }
            else if (t.ResentAt is { } at && now >= at + o.EscalateAfter)
            {
                t.EscalatedAt = now;
                await AppendAsync(
                    DeliveryLedgerActions.Escalated,
                    o.EscalationRecipientId ?? t.Message.RecipientId,
                    t,
                    new { recipientId = t.Message.RecipientId, deliveredAt = t.DeliveredAt, resentAt = at },
                    cancellationToken).ConfigureAwait(false);
                LogEscalated(logger, t.Message.MessageId, t.Message.RecipientId, o.EscalationRecipientId ?? "(none)");
                escalated++;
            }
        }

        return (resent, escalated);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FollowUp.Interval > TimeSpan.Zero ? options.Value.FollowUp.Interval : TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFollowUpError(logger, ex);
            }
        }
    }

    private Task<IReadOnlyList<LedgerEntry>> AppendAsync(string action, string recipientId, TrackedNotification t, object details, CancellationToken cancellationToken) =>
        ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = "hub",
                    Action = action,
                    RecipientId = recipientId,
                    CorrelationId = t.Message.MessageId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(details, HubJson.Options),
                },
            ],
            cancellationToken);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Information, Message = "Notification {MessageId} to {RecipientId} unacknowledged: re-sent")]
    private static partial void LogResent(ILogger logger, Guid messageId, string recipientId);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "Notification {MessageId} to {RecipientId} still unacknowledged after its re-send: escalated to {EscalationRecipientId}")]
    private static partial void LogEscalated(ILogger logger, Guid messageId, string recipientId, string escalationRecipientId);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Warning, Message = "Re-send of {MessageId} to {RecipientId} failed ({Error}); retried at the next run")]
    private static partial void LogResendFailed(ILogger logger, Guid messageId, string recipientId, string error);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Error, Message = "Notification follow-up failed; retrying at the next run")]
    private static partial void LogFollowUpError(ILogger logger, Exception exception);
}
