using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace OutreachConsumer;

/// <summary>Where and as whom the agency connects. The password comes from the environment, never the command line.</summary>
internal sealed record ConsumerSettings
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string VirtualHost { get; init; }

    public required string RecipientId { get; init; }

    public required string Password { get; init; }

    /// <summary>The outcome reported for each notification (the JSON Schema's enum).</summary>
    public string Outcome { get; init; } = "Contacted";

    /// <summary>Stop after this long without a message.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where seen notification ids are kept, so a redelivery is recognised across restarts.</summary>
    public string? SeenFile { get; init; }
}

/// <summary>Counts printed at the end.</summary>
internal sealed record ConsumerSummary(int Received, int Duplicates, int Acknowledged, int Outcomes, int Invalid);

/// <summary>
/// An agency's side of the hub: consume its own queue (<c>hub.recipient.ID</c>), de-duplicate on the AMQP message-id,
/// print ids and counts only, then acknowledge and report an outcome on its reply exchange (<c>hub.recipient.ID.replies</c>).
/// Uses only RabbitMQ.Client and the shapes in docs/contracts/*.schema.json.
/// </summary>
internal sealed class AgencyConsumer(ConsumerSettings settings, TextWriter output)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _received, _duplicates, _acknowledged, _outcomes, _invalid;
    private long _lastMessageTicks = Environment.TickCount64;

    public async Task<ConsumerSummary> RunAsync(CancellationToken cancellationToken)
    {
        if (settings.SeenFile is not null && File.Exists(settings.SeenFile))
        {
            _seen.UnionWith(await File.ReadAllLinesAsync(settings.SeenFile, cancellationToken).ConfigureAwait(false));
        }

        var factory = new ConnectionFactory
        {
            HostName = settings.Host,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = "hub-recipient-" + settings.RecipientId,
            Password = settings.Password,
            ClientProvidedName = "outreach-consumer-" + settings.RecipientId,
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, 1, false, cancellationToken).ConfigureAwait(false);

        var queue = "hub.recipient." + settings.RecipientId;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery, cancellationToken);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);

        while (Environment.TickCount64 - Interlocked.Read(ref _lastMessageTicks) < settings.Idle.TotalMilliseconds)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        var summary = new ConsumerSummary(_received, _duplicates, _acknowledged, _outcomes, _invalid);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"summary recipient={settings.RecipientId} received={summary.Received} duplicates={summary.Duplicates} acknowledged={summary.Acknowledged} outcomes={summary.Outcomes} invalid={summary.Invalid}")).ConfigureAwait(false);
        return summary;
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastMessageTicks, Environment.TickCount64);
        var messageId = delivery.BasicProperties.MessageId;
        if (messageId is null || !_seen.Add(messageId))
        {
            // A redelivery or a re-send under the same id: already handled.
            _duplicates++;
            await channel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken).ConfigureAwait(false);
            return;
        }

        Notification? notification;
        try
        {
            notification = Notification.Parse(delivery.Body.Span);
        }
        catch (JsonException)
        {
            notification = null;
        }

        if (notification is null || notification.RecipientId != settings.RecipientId)
        {
            _invalid++;
            await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        _received++;

        // Ids, counts and the profile only: the body may hold PHI this console must not echo to logs.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"notification id={notification.NotificationId} episode={notification.EpisodeId} v{notification.EpisodeVersion} profile={notification.Profile} sources={notification.Sources} disposition={notification.Disposition}")).ConfigureAwait(false);

        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var ack = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["notificationId"] = notification.NotificationId,
            ["episodeId"] = notification.EpisodeId,
            ["recipientId"] = settings.RecipientId,
            ["occurredAtUtc"] = now,
            ["acknowledgedBy"] = "outreach-consumer",
        });
        await ReplyAsync(channel, "urn:message:hub:notification-acknowledged:v1", ack, cancellationToken).ConfigureAwait(false);
        _acknowledged++;

        var outcome = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["notificationId"] = notification.NotificationId,
            ["episodeId"] = notification.EpisodeId,
            ["recipientId"] = settings.RecipientId,
            ["outcome"] = settings.Outcome,
            ["occurredAtUtc"] = now,
            ["reportedBy"] = "outreach-consumer",
        });
        await ReplyAsync(channel, "urn:message:hub:outreach-outcome-reported:v1", outcome, cancellationToken).ConfigureAwait(false);
        _outcomes++;

        if (settings.SeenFile is not null)
        {
            await File.AppendAllLinesAsync(settings.SeenFile, [messageId], cancellationToken).ConfigureAwait(false);
        }

        // Ack last: a crash before this line redelivers, and the seen-file (or the hub's idempotency) absorbs it.
        await channel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplyAsync(IChannel channel, string type, string json, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            MessageId = Guid.NewGuid().ToString(),
            Type = type,
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
        };
        await channel.BasicPublishAsync(
            exchange: "hub.recipient." + settings.RecipientId + ".replies", routingKey: "", mandatory: true,
            basicProperties: properties, body: Encoding.UTF8.GetBytes(json), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The few notification fields this consumer uses (overdose-notification.v1.schema.json).</summary>
internal sealed record Notification(string NotificationId, string EpisodeId, int EpisodeVersion, string RecipientId, string Profile, string Sources, string Disposition)
{
    public static Notification? Parse(ReadOnlySpan<byte> body)
    {
        using var json = JsonDocument.Parse(body.ToArray());
        var root = json.RootElement;
        if (!root.TryGetProperty("notificationId", out var id) || !root.TryGetProperty("episodeId", out var episode)
            || !root.TryGetProperty("recipientId", out var recipient) || !root.TryGetProperty("episodeVersion", out var version))
        {
            return null;
        }

        var profile = root.TryGetProperty("profile", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var sources = root.TryGetProperty("sourceKinds", out var s) ? string.Join('+', s.EnumerateArray().Select(k => k.GetString())) : "";
        var disposition = root.TryGetProperty("event", out var e) && e.TryGetProperty("disposition", out var d) ? d.GetString() ?? "" : "";
        return new Notification(id.GetString()!, episode.GetString()!, version.GetInt32(), recipient.GetString()!, profile, sources, disposition);
    }
}
