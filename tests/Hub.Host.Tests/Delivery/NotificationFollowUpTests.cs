using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Host.Delivery;
using Hub.Routing.Recipients;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Host.Tests.Delivery;

/// <summary>Re-send after the configured time (same message id), escalation after another, nothing once acknowledged.</summary>
public sealed class NotificationFollowUpTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 14, 7, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Given_an_unacknowledged_notification_When_time_passes_Then_it_is_resent_once_then_escalated_once()
    {
        var (audit, tracker, queue, followUp, _) = Setup();
        var message = Message("team-a");
        tracker.Delivered(message, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal((0, 0), await followUp.RunOnceAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal((1, 0), await followUp.RunOnceAsync(CancellationToken.None));
        Assert.Equal(message.MessageId, Assert.Single(queue.Published).MessageId);
        Assert.Equal((0, 0), await followUp.RunOnceAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal((0, 1), await followUp.RunOnceAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromHours(5));
        Assert.Equal((0, 0), await followUp.RunOnceAsync(CancellationToken.None));

        Assert.Single(audit.Entries, e => e.Content.Action == DeliveryLedgerActions.Resent && e.Content.CorrelationId == message.MessageId.ToString());
        var escalation = Assert.Single(audit.Entries, e => e.Content.Action == DeliveryLedgerActions.Escalated);
        Assert.Equal("county-health", escalation.Content.RecipientId);
        Assert.Contains("team-a", escalation.Content.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_acknowledged_notification_When_time_passes_Then_nothing_is_resent_and_a_foreign_ack_is_refused()
    {
        var (audit, tracker, queue, followUp, recorder) = Setup();
        var message = Message("team-a");
        tracker.Delivered(message, _time.GetUtcNow());

        var foreign = await recorder.AcknowledgeAsync("team-b", Ack(message, "team-b"), "queue", CancellationToken.None);
        var mismatch = await recorder.AcknowledgeAsync("team-b", Ack(message, "team-a"), "queue", CancellationToken.None);
        var unknown = await recorder.AcknowledgeAsync("team-a", Ack(Message("team-a"), "team-a"), "queue", CancellationToken.None);
        Assert.Equal(FeedbackResult.UnknownNotification, foreign);
        Assert.Equal(FeedbackResult.RecipientMismatch, mismatch);
        Assert.Equal(FeedbackResult.UnknownNotification, unknown);

        Assert.Equal(FeedbackResult.Recorded, await recorder.AcknowledgeAsync("team-a", Ack(message, "team-a"), "queue", CancellationToken.None));
        _time.Advance(TimeSpan.FromHours(10));
        Assert.Equal((0, 0), await followUp.RunOnceAsync(CancellationToken.None));
        Assert.Empty(queue.Published);
        Assert.Single(audit.Entries, e => e.Content.Action == Hub.Audit.Ledger.LedgerActions.Acknowledged && e.Content.RecipientId == "team-a");
    }

    [Fact]
    public async Task Given_a_notification_sent_before_a_restart_When_its_recipient_acknowledges_Then_the_outbox_row_proves_it_and_others_are_refused()
    {
        var (audit, _, _, _, recorder) = Setup();
        var message = Message("team-a");
        await audit.EnqueueAsync(
            new Hub.Audit.Ledger.LedgerEntryDraft { Actor = "hub", Action = Hub.Audit.Ledger.LedgerActions.Disclosed, RecipientId = "team-a", CorrelationId = message.MessageId.ToString() },
            message,
            CancellationToken.None);

        // The tracker (in memory) does not know it: the outbox decides.
        Assert.Equal(FeedbackResult.UnknownNotification, await recorder.AcknowledgeAsync("team-b", Ack(message, "team-b"), "queue", CancellationToken.None));
        Assert.Equal(FeedbackResult.Recorded, await recorder.AcknowledgeAsync("team-a", Ack(message, "team-a"), "queue", CancellationToken.None));
        Assert.Single(audit.Entries, e => e.Content.Action == Hub.Audit.Ledger.LedgerActions.Acknowledged && e.Content.RecipientId == "team-a");
    }

    private static NotificationAcknowledged Ack(OutboxMessage message, string recipientId) => new()
    {
        NotificationId = message.MessageId,
        EpisodeId = Guid.NewGuid(),
        RecipientId = recipientId,
        OccurredAtUtc = DateTimeOffset.UnixEpoch,
    };

    private static OutboxMessage Message(string recipientId) => new()
    {
        MessageId = Guid.NewGuid(),
        RecipientId = recipientId,
        Channel = DeliveryChannels.Queue,
        Destination = "hub.recipient." + recipientId,
        MessageType = "urn:message:hub:overdose-notification:v1",
        PayloadJson = "{}",
    };

    private (InMemoryAudit, DeliveryTracker, RecordingQueue, NotificationFollowUp, FeedbackRecorder) Setup()
    {
        var audit = new InMemoryAudit(_time);
        var tracker = new DeliveryTracker();
        var queue = new RecordingQueue();
        var options = new HubDeliveryOptions();
        options.FollowUp.EscalationRecipientId = "county-health";
        var services = new ServiceCollection();
        services.AddHttpClient(WebhookSender.ClientName);
        var webhooks = new WebhookSender(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), Options.Create(new RecipientsOptions()), _time);
        var followUp = new NotificationFollowUp(tracker, queue, webhooks, audit, Options.Create(options), _time, NullLogger<NotificationFollowUp>.Instance);
        var recorder = new FeedbackRecorder(audit, audit, tracker, _time, NullLogger<FeedbackRecorder>.Instance);
        return (audit, tracker, queue, followUp, recorder);
    }
}
