using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Routing.Recipients;

namespace Hub.Host.Delivery;

/// <summary>
/// Publishes pending outbox rows and marks each delivered in the ledger only after the broker confirmed it (or
/// the webhook answered 2xx). A crash between publish and mark re-sends the row under the same message id:
/// at-least-once, never lost. Several hub instances may run it: delivery stays idempotent by message id.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IOutbox outbox,
    IRecipientQueue queue,
    WebhookSender webhooks,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int Batch = 256;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Delivers what is pending now; returns how many rows were delivered.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        var pending = await outbox.GetPendingAsync(Batch, cancellationToken).ConfigureAwait(false);
        foreach (var message in pending)
        {
            try
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
                delivered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The row stays pending and is retried; the error text names the recipient and status, never the payload.
                await outbox.RecordFailedAttemptAsync(message.MessageId, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
                LogFailed(logger, message.MessageId, message.RecipientId, message.Channel, ex.GetType().Name);
            }
        }

        return delivered;
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

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Delivery of {MessageId} to {RecipientId} over {Channel} failed ({Error}); it stays pending")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string recipientId, string channel, string error);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "The outbox dispatcher could not read the outbox; retrying")]
    private static partial void LogDispatchError(ILogger logger, Exception exception);
}
