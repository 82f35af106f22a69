using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;

namespace Hub.Audit.Outbox;

/// <summary>Thrown when an outbox operation names a message id the outbox never held.</summary>
public sealed class OutboxMessageNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OutboxMessageNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OutboxMessageNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public OutboxMessageNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The transactional outbox on a <see cref="HubDatabase"/>; every write that touches the ledger holds its writer lock.</summary>
public sealed class SqlOutbox : IOutbox
{
    private const int MaxErrorLength = 2000;
    private readonly HubDatabase _database;
    private readonly PayloadProtector _protector;

    /// <summary>Creates the outbox.</summary>
    public SqlOutbox(HubDatabase database, PayloadProtector protector)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(protector);
        _database = database;
        _protector = protector;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The outbox row is inserted before the ledger entry in the same transaction: if the ledger insert fails, the
    /// rollback removes the row, so a message never exists without its disclosure entry (fail closed).
    /// When <see cref="LedgerEntryDraft.PayloadSha256"/> is empty it is filled with the payload's SHA-256; when given it must match.
    /// </remarks>
    public async Task<LedgerEntry> EnqueueAsync(LedgerEntryDraft disclosure, OutboxMessage message, CancellationToken cancellationToken)
    {
        LedgerStore.Validate(disclosure);
        ArgumentNullException.ThrowIfNull(message);
        if (disclosure.Action != LedgerActions.Disclosed)
        {
            throw new ArgumentException($"An outbox message is enqueued with a '{LedgerActions.Disclosed}' entry.", nameof(disclosure));
        }

        if (disclosure.RecipientId is not null && disclosure.RecipientId != message.RecipientId)
        {
            throw new ArgumentException("The disclosure's recipient differs from the message's.", nameof(disclosure));
        }

        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.PayloadJson)));
        if (disclosure.PayloadSha256 is not null && !string.Equals(disclosure.PayloadSha256, payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The disclosure's payload hash does not match the message payload.", nameof(disclosure));
        }

        var draft = disclosure with { PayloadSha256 = payloadHash, RecipientId = message.RecipientId };
        var encrypted = _protector.Protect(message.MessageId, message.PayloadJson);

        var scope = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var head = await LedgerStore.ReadHeadAsync(scope.Connection, scope.Transaction, cancellationToken).ConfigureAwait(false);
            var entry = LedgerStore.Chain(head, [draft], scope)[0];
            await using (var insert = scope.Command(
                "INSERT INTO outbox (message_id, ledger_sequence, recipient_id, channel, destination, message_type, payload, created_at, attempts) " +
                "VALUES (@id, @seq, @recipient, @channel, @destination, @type, @payload, @created, @attempts)"))
            {
                insert.Add("@id", Id(message.MessageId));
                insert.Add("@seq", entry.Sequence);
                insert.Add("@recipient", message.RecipientId);
                insert.Add("@channel", message.Channel);
                insert.Add("@destination", message.Destination);
                insert.Add("@type", message.MessageType);
                insert.Add("@payload", encrypted);
                insert.Add("@created", Db.ToMicros(entry.TimestampUtc));
                insert.Add("@attempts", message.Attempts);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await LedgerStore.InsertAsync(scope, [entry], cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry;
        }
    }

    /// <inheritdoc />
    public async Task<string?> RecipientOfAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT recipient_id FROM outbox WHERE message_id = @id");
            command.Add("@id", Id(messageId));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT message_id, recipient_id, channel, destination, message_type, payload, attempts FROM outbox " +
                "WHERE delivered_at IS NULL ORDER BY ledger_sequence LIMIT @max");
            command.Add("@max", max);
            var rows = new List<OutboxMessage>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = Guid.Parse(reader.GetString(0));
                rows.Add(new OutboxMessage
                {
                    MessageId = id,
                    RecipientId = reader.GetString(1),
                    Channel = reader.GetString(2),
                    Destination = reader.GetString(3),
                    MessageType = reader.GetString(4),
                    PayloadJson = _protector.Unprotect(id, (byte[])reader.GetValue(5)),
                    Attempts = reader.GetInt32(6),
                });
            }

            return rows;
        }
    }

    /// <inheritdoc />
    public async Task MarkDeliveredAsync(Guid messageId, LedgerEntryDraft delivered, CancellationToken cancellationToken)
    {
        LedgerStore.Validate(delivered);
        if (delivered.Action != LedgerActions.Delivered)
        {
            throw new ArgumentException($"A delivery is recorded with a '{LedgerActions.Delivered}' entry.", nameof(delivered));
        }

        var scope = await _database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var head = await LedgerStore.ReadHeadAsync(scope.Connection, scope.Transaction, cancellationToken).ConfigureAwait(false);
            var entry = LedgerStore.Chain(head, [delivered], scope)[0];
            int changed;
            await using (var update = scope.Command(
                "UPDATE outbox SET delivered_at = @now, attempts = attempts + 1, last_error = NULL WHERE message_id = @id AND delivered_at IS NULL"))
            {
                update.Add("@now", Db.ToMicros(entry.TimestampUtc));
                update.Add("@id", Id(messageId));
                changed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (changed == 0)
            {
                // Already delivered (a redelivery after a crash): nothing to append. Unknown: the caller has a bug.
                if (!await ExistsAsync(scope, messageId, cancellationToken).ConfigureAwait(false))
                {
                    throw new OutboxMessageNotFoundException(string.Create(CultureInfo.InvariantCulture, $"Outbox message {messageId} does not exist."));
                }

                return;
            }

            await LedgerStore.InsertAsync(scope, [entry], cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task RecordFailedAttemptAsync(Guid messageId, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var update = connection.Command(
                "UPDATE outbox SET attempts = attempts + 1, last_error = @error WHERE message_id = @id AND delivered_at IS NULL");
            update.Add("@error", error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
            update.Add("@id", Id(messageId));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a message was marked delivered (null when unknown): for dispatchers and tests.</summary>
    public async Task<DateTimeOffset?> GetDeliveredAtAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command("SELECT delivered_at FROM outbox WHERE message_id = @id");
            command.Add("@id", Id(messageId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0) ? Db.FromMicros(reader.GetInt64(0)) : null;
        }
    }

    internal static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static async Task<bool> ExistsAsync(WriteScope scope, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = scope.Command("SELECT 1 FROM outbox WHERE message_id = @id");
        command.Add("@id", Id(messageId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
