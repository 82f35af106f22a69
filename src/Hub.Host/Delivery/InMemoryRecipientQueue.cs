using System.Collections.Concurrent;
using Hub.Audit.Outbox;

namespace Hub.Host.Delivery;

/// <summary>
/// The embedded default (no broker): each recipient's queue lives in this process. The demo reads it to show what
/// each agency received. Production uses <see cref="RabbitMqRecipientQueue"/>.
/// </summary>
internal sealed class InMemoryRecipientQueue : IRecipientQueue
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<OutboxMessage>> _queues = new(StringComparer.Ordinal);

    public Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _queues.GetOrAdd(message.Destination, _ => new()).Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>A snapshot of what each queue holds.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<OutboxMessage>> Snapshot() =>
        _queues.ToDictionary(q => q.Key, q => (IReadOnlyList<OutboxMessage>)q.Value.ToArray(), StringComparer.Ordinal);
}
