using Hub.Audit.Storage;

namespace Hub.Audit.Outbox;

/// <summary>A detected event the bus did not take, kept until it is published.</summary>
public sealed record ParkedEvent
{
    /// <summary>The event id (one row per event: parking it twice keeps the first).</summary>
    public required string EventId { get; init; }

    /// <summary>The message id it is published under, the same on every attempt.</summary>
    public required Guid MessageId { get; init; }

    /// <summary>The feed it came from.</summary>
    public required string FeedId { get; init; }

    /// <summary>The event as JSON (PHI: stored encrypted).</summary>
    public required string PayloadJson { get; init; }

    /// <summary>When it was parked.</summary>
    public DateTimeOffset ParkedAtUtc { get; init; }

    /// <summary>Publish attempts since it was parked.</summary>
    public int Attempts { get; init; }
}

/// <summary>
/// Detected events waiting for the bus. An input's events are published once the input is accepted; when the broker
/// is down or refuses them, they are parked here and published again later, so nothing accepted is lost.
/// </summary>
public interface IParkedEventStore
{
    /// <summary>Parks an event; an event already parked stays as it is. Returns false for the second case.</summary>
    Task<bool> ParkAsync(ParkedEvent parked, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> parked events, oldest first, decrypted.</summary>
    Task<IReadOnlyList<ParkedEvent>> GetAsync(int max, CancellationToken cancellationToken);

    /// <summary>Removes an event once the bus has taken it.</summary>
    Task RemoveAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Counts a failed attempt, with the error's type (never its text: it may quote the event).</summary>
    Task RecordFailedAttemptAsync(string eventId, string error, CancellationToken cancellationToken);

    /// <summary>How many events are parked.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);
}

/// <summary>The parked events on a <see cref="HubDatabase"/>, encrypted with the outbox's <see cref="PayloadProtector"/>.</summary>
public sealed class SqlParkedEventStore : IParkedEventStore
{
    private const int MaxErrorLength = 500;
    private readonly HubDatabase _database;
    private readonly PayloadProtector _protector;

    /// <summary>Creates the store.</summary>
    public SqlParkedEventStore(HubDatabase database, PayloadProtector protector)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(protector);
        _database = database;
        _protector = protector;
    }

    /// <inheritdoc />
    public async Task<bool> ParkAsync(ParkedEvent parked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parked);
        ArgumentException.ThrowIfNullOrEmpty(parked.EventId);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var insert = connection.Command(
                "INSERT INTO parked_events (event_id, message_id, feed_id, payload, parked_at, attempts) " +
                "VALUES (@event, @message, @feed, @payload, @at, 0) ON CONFLICT DO NOTHING");
            insert.Add("@event", parked.EventId);
            insert.Add("@message", SqlOutbox.Id(parked.MessageId));
            insert.Add("@feed", parked.FeedId);
            insert.Add("@payload", _protector.Protect(parked.MessageId, parked.PayloadJson));
            insert.Add("@at", Db.ToMicros(parked.ParkedAtUtc));
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ParkedEvent>> GetAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT event_id, message_id, feed_id, payload, parked_at, attempts FROM parked_events ORDER BY parked_at, event_id LIMIT @max");
            command.Add("@max", max);
            var rows = new List<ParkedEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var messageId = Guid.Parse(reader.GetString(1));
                rows.Add(new ParkedEvent
                {
                    EventId = reader.GetString(0),
                    MessageId = messageId,
                    FeedId = reader.GetString(2),
                    PayloadJson = _protector.Unprotect(messageId, (byte[])reader.GetValue(3)),
                    ParkedAtUtc = Db.FromMicros(reader.GetInt64(4)),
                    Attempts = reader.GetInt32(5),
                });
            }

            return rows;
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var delete = connection.Command("DELETE FROM parked_events WHERE event_id = @event");
            delete.Add("@event", eventId);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RecordFailedAttemptAsync(string eventId, string error, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(error);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var update = connection.Command("UPDATE parked_events SET attempts = attempts + 1, last_error = @error WHERE event_id = @event");
            update.Add("@error", error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
            update.Add("@event", eventId);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT COUNT(*) FROM parked_events");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
