using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using MassTransit;

namespace Hub.Host.Bus;

/// <summary>Records a recipient's acknowledgment in the ledger.</summary>
internal sealed class NotificationAcknowledgedConsumer(ILedger ledger) : IConsumer<NotificationAcknowledged>
{
    public async Task Consume(ConsumeContext<NotificationAcknowledged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = m.RecipientId,
                    Action = LedgerActions.Acknowledged,
                    RecipientId = m.RecipientId,
                    CorrelationId = m.NotificationId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(new { episodeId = m.EpisodeId, by = m.AcknowledgedBy, at = m.OccurredAtUtc }, HubJson.Options),
                },
            ],
            context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Records a recipient's outreach outcome in the ledger, closing the loop.</summary>
internal sealed class OutreachOutcomeReportedConsumer(ILedger ledger) : IConsumer<OutreachOutcomeReported>
{
    public async Task Consume(ConsumeContext<OutreachOutcomeReported> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        await ledger.AppendAsync(
            [
                new LedgerEntryDraft
                {
                    Actor = m.RecipientId,
                    Action = LedgerActions.OutcomeReported,
                    RecipientId = m.RecipientId,
                    CorrelationId = m.NotificationId.ToString(),
                    DetailsJson = JsonSerializer.Serialize(new { episodeId = m.EpisodeId, outcome = m.Outcome.ToString(), by = m.ReportedBy, at = m.OccurredAtUtc }, HubJson.Options),
                },
            ],
            context.CancellationToken).ConfigureAwait(false);
    }
}
