using System.Text;
using Hub.Audit.Outbox;
using Hub.Host.Bus;
using RabbitMQ.Client;

namespace Hub.Host.Delivery;

/// <summary>
/// RabbitMQ delivery with publisher confirms: a durable quorum queue per recipient, persistent messages, the
/// notification id as the AMQP message id (redelivery is harmless: recipients de-duplicate on it).
/// </summary>
internal sealed class RabbitMqRecipientQueue(IOptions<BusOptions> options) : IRecipientQueue, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            if (_declared.Add(message.Destination))
            {
                // The queue and the recipient's reply path, exactly as `hub rabbitmq provision` declares them.
                await RabbitMqProvisioner.DeclareAsync(channel, message.Destination, message.Destination + ".replies", cancellationToken).ConfigureAwait(false);
            }

            var properties = new BasicProperties
            {
                MessageId = message.MessageId.ToString(),
                ContentType = "application/json",
                Type = message.MessageType,
                DeliveryMode = DeliveryModes.Persistent,
                Headers = new Dictionary<string, object?> { ["hub-recipient"] = message.RecipientId },
            };

            // With confirmation tracking on, this completes when the broker confirms and throws on a nack or return.
            await channel.BasicPublishAsync(
                exchange: "", routingKey: message.Destination, mandatory: true, basicProperties: properties,
                body: Encoding.UTF8.GetBytes(message.PayloadJson), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ResetAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetAsync().ConfigureAwait(false);
        _connection = await RabbitMqConnections.CreateAsync(options.Value, "hub-dispatcher", cancellationToken).ConfigureAwait(false);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);
        _declared.Clear();
        return _channel;
    }

    private async Task ResetAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
            _channel = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
