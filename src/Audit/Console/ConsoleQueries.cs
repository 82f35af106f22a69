using System.Data.Common;
using System.Globalization;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Audit.Storage;

namespace Hub.Audit.Console;

/// <summary>One notification as a recipient's inbox shows it: the outbox row, its decrypted payload and whether it was acknowledged.</summary>
/// <param name="MessageId">The notification id (the outbox message id).</param>
/// <param name="RecipientId">The recipient (agency) it was disclosed to.</param>
/// <param name="LedgerSequence">Its <c>disclosed</c> ledger entry.</param>
/// <param name="CreatedAtUtc">When it was disclosed.</param>
/// <param name="DeliveredAtUtc">When it was delivered, if yet.</param>
/// <param name="PayloadJson">The notification JSON exactly as disclosed; null once retention purged it.</param>
/// <param name="Acknowledged">Whether the recipient's acknowledgment is in the ledger.</param>
public sealed record ConsoleNotification(
    Guid MessageId, string RecipientId, long LedgerSequence, DateTimeOffset CreatedAtUtc, DateTimeOffset? DeliveredAtUtc, string? PayloadJson, bool Acknowledged);

/// <summary>
/// Read queries of the web console over the outbox. Every query takes the recipient, so a caller scoped to one agency
/// cannot reach another agency's rows even by id: the filter is in the SQL, not in the page.
/// </summary>
public sealed class ConsoleQueries
{
    private const string Select =
        "SELECT o.message_id, o.recipient_id, o.ledger_sequence, o.created_at, o.delivered_at, o.payload, " +
        "CASE WHEN EXISTS (SELECT 1 FROM ledger l WHERE l.action = @ack AND l.recipient_id = o.recipient_id AND l.correlation_id = o.message_id) THEN 1 ELSE 0 END " +
        "FROM outbox o ";

    private readonly HubDatabase _database;
    private readonly PayloadProtector _protector;

    /// <summary>Creates the queries.</summary>
    public ConsoleQueries(HubDatabase database, PayloadProtector protector)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(protector);
        _database = database;
        _protector = protector;
    }

    /// <summary>A recipient's notifications, newest first (at most <paramref name="max"/>).</summary>
    public async Task<IReadOnlyList<ConsoleNotification>> ListForRecipientAsync(string recipientId, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(Select + "WHERE o.recipient_id = @recipient ORDER BY o.ledger_sequence DESC LIMIT @limit");
            command.Add("@ack", LedgerActions.Acknowledged);
            command.Add("@recipient", recipientId);
            command.Add("@limit", max);
            return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One notification of a recipient; null when it does not exist or belongs to another recipient.</summary>
    public async Task<ConsoleNotification?> GetForRecipientAsync(string recipientId, Guid messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(Select + "WHERE o.recipient_id = @recipient AND o.message_id = @id");
            command.Add("@ack", LedgerActions.Acknowledged);
            command.Add("@recipient", recipientId);
            command.Add("@id", SqlOutbox.Id(messageId));
            var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }
    }

    private async Task<IReadOnlyList<ConsoleNotification>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<ConsoleNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
            var payload = reader.IsDBNull(5) ? null : _protector.Unprotect(id, (byte[])reader.GetValue(5));
            list.Add(new ConsoleNotification(
                id,
                reader.GetString(1),
                reader.GetInt64(2),
                Db.FromMicros(reader.GetInt64(3)),
                reader.NullableInt64(4) is { } delivered ? Db.FromMicros(delivered) : null,
                payload,
                Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture) == 1));
        }

        return list;
    }
}
