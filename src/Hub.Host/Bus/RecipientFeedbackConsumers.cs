using Hub.Contracts.Messages;
using Hub.Host.Delivery;
using MassTransit;

namespace Hub.Host.Bus;

/// <summary>
/// A recipient's acknowledgment arriving over the hub's bus. It goes through the same checks as the reply queue and
/// HTTP paths (the notification was disclosed to that recipient) before the ledger records it.
/// </summary>
internal sealed class NotificationAcknowledgedConsumer(FeedbackRecorder recorder) : IConsumer<NotificationAcknowledged>
{
    public async Task Consume(ConsumeContext<NotificationAcknowledged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await recorder.AcknowledgeAsync(context.Message.RecipientId, context.Message, "bus", context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A recipient's outreach outcome arriving over the hub's bus, checked and recorded like the other paths.</summary>
internal sealed class OutreachOutcomeReportedConsumer(FeedbackRecorder recorder) : IConsumer<OutreachOutcomeReported>
{
    public async Task Consume(ConsumeContext<OutreachOutcomeReported> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await recorder.ReportOutcomeAsync(context.Message.RecipientId, context.Message, "bus", context.CancellationToken).ConfigureAwait(false);
    }
}
