using System.Text.Json;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using Hub.Host.Bus;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Hub.Host.Delivery;

/// <summary>
/// Consumes every queue recipient's reply queue <c>hub.recipient.ID.replies</c> (plain JSON, AMQP <c>type</c>
/// <c>notification-acknowledged</c> or <c>outreach-outcome-reported</c>, or inferred from an <c>outcome</c> property)
/// and records each reply through <see cref="FeedbackRecorder"/>. The queue a message arrives on is the sender:
/// the broker lets only that recipient's user write to it. Invalid replies are dropped (nack, no requeue) and logged by id.
/// </summary>
internal sealed partial class ReplyQueueListener(
    IOptions<BusOptions> bus,
    RecipientCredentials credentials,
    RabbitMqProvisioner provisioner,
    FeedbackRecorder recorder,
    ILogger<ReplyQueueListener> logger) : BackgroundService
{
    private IConnection? _connection;
    private readonly List<IChannel> _channels = [];

    /// <summary>Set once every reply queue has a consumer (tests wait on it).</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartConsumersAsync(stoppingToken).ConfigureAwait(false);
                Ready.TrySetResult();
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogConnectFailed(logger, ex.GetType().Name);
                await CloseAsync().ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task StartConsumersAsync(CancellationToken cancellationToken)
    {
        _connection = await RabbitMqConnections.CreateAsync(bus.Value, "hub-replies", cancellationToken).ConfigureAwait(false);
        foreach (var r in credentials.All().Where(r => r.Channel == Hub.Routing.Recipients.DeliveryChannels.Queue))
        {
            var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _channels.Add(channel);
            var replies = provisioner.ReplyQueueOf(r.Id);
            await RabbitMqProvisioner.DeclareAsync(channel, provisioner.QueueOf(r.Id), replies, cancellationToken).ConfigureAwait(false);
            await channel.BasicQosAsync(0, 16, false, cancellationToken).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            var recipientId = r.Id;
            consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, recipientId, delivery);
            await channel.BasicConsumeAsync(replies, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(IChannel channel, string recipientId, BasicDeliverEventArgs delivery)
    {
        var cancellationToken = delivery.CancellationToken;
        FeedbackResult? result = null;
        try
        {
            using var json = JsonDocument.Parse(delivery.Body);
            var type = delivery.BasicProperties.Type ?? "";
            var isOutcome = type.Contains("outreach-outcome-reported", StringComparison.Ordinal)
                || (!type.Contains("notification-acknowledged", StringComparison.Ordinal) && json.RootElement.TryGetProperty("outcome", out _));
            result = isOutcome
                ? await recorder.ReportOutcomeAsync(recipientId, json.RootElement.Deserialize<OutreachOutcomeReported>(HubJson.Options)!, "queue", cancellationToken).ConfigureAwait(false)
                : await recorder.AcknowledgeAsync(recipientId, json.RootElement.Deserialize<NotificationAcknowledged>(HubJson.Options)!, "queue", cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            LogInvalid(logger, recipientId, delivery.BasicProperties.MessageId ?? "(none)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The ledger is unavailable: leave the reply on the queue for a later try.
            LogRecordFailed(logger, recipientId, ex.GetType().Name);
            await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result == FeedbackResult.Recorded)
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        foreach (var c in _channels)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        _channels.Clear();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Reply from {RecipientId} (message {MessageId}) is not valid JSON of a known reply; dropped")]
    private static partial void LogInvalid(ILogger logger, string recipientId, string messageId);

    [LoggerMessage(EventId = 1423, Level = LogLevel.Error, Message = "Reply from {RecipientId} could not be recorded ({Error}); requeued")]
    private static partial void LogRecordFailed(ILogger logger, string recipientId, string error);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Reply queues: cannot connect to RabbitMQ ({Error}); retrying in 5 s")]
    private static partial void LogConnectFailed(ILogger logger, string error);
}
