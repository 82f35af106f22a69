using System.Collections.Concurrent;
using Hub.Audit.Outbox;

namespace Hub.Host.Delivery;

/// <summary>
/// Host-side delivery state the outbox does not hold: the next webhook attempt time of each failing row, and the
/// notifications delivered by this process that wait for an acknowledgment (for re-send and escalation).
/// In memory: after a restart failing rows are retried at once and follow-up restarts from new deliveries.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _nextAttempt = new();
    private readonly ConcurrentDictionary<Guid, TrackedNotification> _delivered = new();

    /// <summary>True when the row may be attempted now.</summary>
    public bool IsDue(Guid messageId, DateTimeOffset now) => !_nextAttempt.TryGetValue(messageId, out var next) || next <= now;

    /// <summary>The next attempt time of a failing row, if it is waiting.</summary>
    public DateTimeOffset? NextAttempt(Guid messageId) => _nextAttempt.TryGetValue(messageId, out var next) ? next : null;

    /// <summary>Schedules the next attempt of a failing row.</summary>
    public void ScheduleRetry(Guid messageId, DateTimeOffset next) => _nextAttempt[messageId] = next;

    /// <summary>Remembers a delivered notification until it is acknowledged.</summary>
    public void Delivered(OutboxMessage message, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(message);
        _nextAttempt.TryRemove(message.MessageId, out _);
        _delivered.TryAdd(message.MessageId, new TrackedNotification(message, at));
    }

    /// <summary>Forgets a row that left the outbox without delivery (dead-lettered).</summary>
    public void Forget(Guid messageId) => _nextAttempt.TryRemove(messageId, out _);

    /// <summary>The recipient a notification delivered by this process went to, or null.</summary>
    public string? RecipientOf(Guid notificationId) => _delivered.TryGetValue(notificationId, out var t) ? t.Message.RecipientId : null;

    /// <summary>Stops following a notification up: it was acknowledged.</summary>
    public void Acknowledged(Guid notificationId, DateTimeOffset at)
    {
        if (_delivered.TryGetValue(notificationId, out var t))
        {
            t.AcknowledgedAt ??= at;
        }
    }

    /// <summary>Notifications still waiting for an acknowledgment.</summary>
    public IReadOnlyList<TrackedNotification> Unacknowledged() => [.. _delivered.Values.Where(t => t.AcknowledgedAt is null && t.EscalatedAt is null)];
}

/// <summary>A delivered notification and what follow-up has done for it.</summary>
internal sealed class TrackedNotification(OutboxMessage message, DateTimeOffset deliveredAt)
{
    public OutboxMessage Message { get; } = message;

    public DateTimeOffset DeliveredAt { get; } = deliveredAt;

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public DateTimeOffset? ResentAt { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }
}
