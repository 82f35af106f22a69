using Hub.Audit.Outbox;

namespace Hub.Host.Delivery;

/// <summary>
/// Puts a notification on its recipient's own queue and returns only once the broker has confirmed it.
/// The body is plain JSON (docs/contracts/), so any AMQP client can read it without MassTransit.
/// </summary>
internal interface IRecipientQueue
{
    /// <summary>Publishes and awaits the broker's confirm; throws when the broker refuses.</summary>
    Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken);
}
