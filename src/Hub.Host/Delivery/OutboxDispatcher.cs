using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Contracts.Serialization;
using Hub.Routing.Recipients;

namespace Hub.Host.Delivery;

/// <summary>
/// Publishes pending outbox rows and marks each delivered in the ledger only after the broker confirmed it (or
/// the webhook answered 2xx). A crash between publish and mark re-sends the row under the same message id:
/// at-least-once, never lost. Several hub instances may run it: delivery stays idempotent by message id.
/// A failing webhook row waits InitialBackoff·2^(n-1) before attempt n+1 and is dead-lettered (a
/// <c>dead-lettered</c> ledger entry; the row leaves the outbox) after <see cref="WebhookRetryOptions.MaxAttempts"/>.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IOutbox outbox,
    IRecipientQueue queue,
    WebhookSender webhooks,
    DeliveryTracker tracker,
    IOptions<HubDeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int Batch = 256;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Delivers what is pending and due now; returns how many rows were delivered.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        var pending = await outbox.GetPendingAsync(Batch, cancellationToken).ConfigureAwait(false);
        foreach (var message in pending)
        {
            if (!tracker.IsDue(message.MessageId, time.GetUtcNow()))
            {
                continue;
            }

            try
            {
                await SendAsync(queue, webhooks, message, cancellationToken).ConfigureAwait(false);
                await outbox.MarkDeliveredAsync(
                    message.MessageId,
                    new LedgerEntryDraft
                    {
                        Actor = "hub",
                        Action = LedgerActions.Delivered,
                        RecipientId = message.RecipientId,
                        CorrelationId = message.MessageId.ToString(),
                        DetailsJson = $"{{\"channel\":\"{message.Channel}\"}}",
                    },
                    cancellationToken).ConfigureAwait(false);
                tracker.Delivered(message, time.GetUtcNow());
                delivered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The row stays pending and is retried; the error text names the recipient and status, never the payload.
                await FailedAsync(message, ex, cancellationToken).ConfigureAwait(false);
            }
        }

        return delivered;
    }

    /// <summary>Sends one row over its channel (the inbox row itself is the delivery).</summary>
    internal static async Task SendAsync(IRecipientQueue queue, WebhookSender webhooks, OutboxMessage message, CancellationToken cancellationToken)
    {
        switch (message.Channel)
        {
            case DeliveryChannels.Queue:
                await queue.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            case DeliveryChannels.Webhook:
                await webhooks.SendAsync(message, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // Inbox: the row itself is what the console shows the agency; storing it was the delivery.
                break;
        }
    }

    private async Task FailedAsync(OutboxMessage message, Exception ex, CancellationToken cancellationToken)
    {
        var error = ex.GetType().Name + ": " + ex.Message;
        var failed = message.Attempts + 1;
        var retry = options.Value.Webhook;
        if (message.Channel == DeliveryChannels.Webhook && failed >= retry.MaxAttempts)
        {
            await outbox.MarkDeliveredAsync(
                message.MessageId,
                new LedgerEntryDraft
                {
                    Actor = "hub",
                    Action = DeliveryLedgerActions.DeadLettered,
                    RecipientId = message.RecipientId,
                    CorrelationId = message.MessageId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(new { channel = message.Channel, attempts = failed, error = ex.GetType().Name }, HubJson.Options),
                },
                cancellationToken).ConfigureAwait(false);
            tracker.Forget(message.MessageId);
            LogDeadLettered(logger, message.MessageId, message.RecipientId, failed);
            return;
        }

        await outbox.RecordFailedAttemptAsync(message.MessageId, error, cancellationToken).ConfigureAwait(false);
        if (message.Channel == DeliveryChannels.Webhook)
        {
            tracker.ScheduleRetry(message.MessageId, time.GetUtcNow() + retry.BackoffAfter(failed));
        }

        LogFailed(logger, message.MessageId, message.RecipientId, message.Channel, ex.GetType().Name, failed);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int delivered;
            try
            {
                delivered = await DispatchPendingAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchError(logger, ex);
                delivered = 0;
            }

            if (delivered == 0)
            {
                await Task.Delay(IdleDelay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Delivery of {MessageId} to {RecipientId} over {Channel} failed ({Error}, attempt {Attempt}); it stays pending")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string recipientId, string channel, string error, int attempt);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "The outbox dispatcher could not read the outbox; retrying")]
    private static partial void LogDispatchError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "Webhook delivery of {MessageId} to {RecipientId} dead-lettered after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, Guid messageId, string recipientId, int attempts);
}
