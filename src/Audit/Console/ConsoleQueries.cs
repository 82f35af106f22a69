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
    Guid MessageId, string RecipientId, long LedgerSequence, DateTimeOffset CreatedAtUtc, DateTimeOffset? DeliveredAtUtc, string? PayloadJson, bool Acknowledged)
{
    /// <summary>The wire message type (a notification or a spike alert), so pages can tell them apart.</summary>
    public string MessageType { get; init; } = "";
}

/// <summary>A recipient's reply about one notification as the ledger holds it (acknowledgment or outreach outcome). No PHI.</summary>
/// <param name="Sequence">The ledger sequence.</param>
/// <param name="TimestampUtc">When it was recorded.</param>
/// <param name="Action">The ledger action (<c>acknowledged</c> or <c>outcome-reported</c>).</param>
/// <param name="DetailsJson">Its details (episode, outcome code, who, when, channel).</param>
public sealed record ConsoleFeedback(long Sequence, DateTimeOffset TimestampUtc, string Action, string? DetailsJson);

/// <summary>Disclosures to one recipient in one ISO week (Monday 00:00 UTC).</summary>
/// <param name="WeekStartUtc">The Monday the week starts.</param>
/// <param name="RecipientId">The recipient.</param>
/// <param name="Count">Disclosures in that week.</param>
public sealed record WeeklyDisclosures(DateOnly WeekStartUtc, string RecipientId, int Count);

/// <summary>
/// Read queries of the web console over the outbox. Every query takes the recipient, so a caller scoped to one agency
/// cannot reach another agency's rows even by id: the filter is in the SQL, not in the page.
/// </summary>
public sealed class ConsoleQueries
{
    private const string Select =
        "SELECT o.message_id, o.recipient_id, o.ledger_sequence, o.created_at, o.delivered_at, o.payload, " +
        // The action is a literal so that the partial index ledger_acknowledged (schema v5) applies.
        "CASE WHEN EXISTS (SELECT 1 FROM ledger l WHERE l.action = 'acknowledged' AND l.recipient_id = o.recipient_id AND l.correlation_id = o.message_id) THEN 1 ELSE 0 END " +
        ", o.message_type FROM outbox o ";

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

    /// <summary>A recipient's outbox rows of every type, newest first (at most <paramref name="max"/>).</summary>
    public Task<IReadOnlyList<ConsoleNotification>> ListForRecipientAsync(string recipientId, int max, CancellationToken cancellationToken) =>
        ListForRecipientAsync(recipientId, null, false, max, cancellationToken);

    /// <summary>
    /// A recipient's outbox rows newest first (at most <paramref name="max"/>): only those of <paramref name="messageType"/>,
    /// or all but those when <paramref name="excludeType"/>, so the inbox lists notifications and spike alerts apart.
    /// </summary>
    public async Task<IReadOnlyList<ConsoleNotification>> ListForRecipientAsync(
        string recipientId, string? messageType, bool excludeType, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                Select + "WHERE o.recipient_id = @recipient" + (messageType is null ? "" : excludeType ? " AND o.message_type <> @type" : " AND o.message_type = @type") + " ORDER BY o.ledger_sequence DESC LIMIT @limit");
            command.Add("@recipient", recipientId);
            command.Add("@limit", max);
            if (messageType is not null)
            {
                command.Add("@type", messageType);
            }

            return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The acknowledgments and outcomes a recipient reported for one of its notifications, oldest first.</summary>
    public async Task<IReadOnlyList<ConsoleFeedback>> FeedbackForRecipientAsync(string recipientId, Guid messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                // One literal action per branch, so each uses its partial index (ledger_acknowledged, ledger_outcomes; schema v5).
                "SELECT sequence, ts, action, details_json FROM ledger WHERE action = 'acknowledged' AND correlation_id = @id AND recipient_id = @recipient " +
                "UNION ALL SELECT sequence, ts, action, details_json FROM ledger WHERE action = 'outcome-reported' AND correlation_id = @id AND recipient_id = @recipient " +
                "ORDER BY 1");
            command.Add("@recipient", recipientId);
            command.Add("@id", SqlOutbox.Id(messageId));
            var list = new List<ConsoleFeedback>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new ConsoleFeedback(reader.GetInt64(0), Db.FromMicros(reader.GetInt64(1)), reader.GetString(2), reader.NullableString(3)));
            }

            return list;
        }
    }

    /// <summary>
    /// <c>disclosed</c> ledger entries per recipient per ISO week (weeks start Monday, UTC) from <paramref name="fromUtc"/>
    /// (inclusive) to <paramref name="toUtc"/> (exclusive), for the privacy officer's chart. Counts only.
    /// </summary>
    public async Task<IReadOnlyList<WeeklyDisclosures>> DisclosuresPerWeekAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        // Counted by the database: weeks since Monday 1969-12-29 (the Unix epoch was a Thursday), in integer microseconds.
        const string Week = "((ts + 259200000000) / 604800000000)";
        var weeks = new List<WeeklyDisclosures>();
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                // The literal action lets the partial index ledger_disclosed_ts (schema v5) answer alone; SQLite's planner,
                // without statistics, prefers (action, ts) and a row lookup each (215 ms against 120 ms at 100,000
                // disclosures), so it is named there. PostgreSQL picks it itself.
                $"SELECT {Week}, recipient_id, COUNT(*) FROM {(_database.Engine == DatabaseEngine.Sqlite ? "ledger INDEXED BY ledger_disclosed_ts" : "ledger")} WHERE action = 'disclosed' AND ts >= @from AND ts < @to AND recipient_id IS NOT NULL " +
                $"GROUP BY {Week}, recipient_id");
            command.Add("@from", Db.ToMicros(fromUtc));
            command.Add("@to", Db.ToMicros(toUtc));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var week = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                weeks.Add(new WeeklyDisclosures(FirstMonday.AddDays(week * 7), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
            }
        }

        return [.. weeks.OrderBy(w => w.WeekStartUtc).ThenBy(w => w.RecipientId, StringComparer.Ordinal)];
    }

    private static readonly DateOnly FirstMonday = new(1969, 12, 29);

    /// <summary>The Monday (UTC) of the ISO week an instant falls in.</summary>
    public static DateOnly WeekStart(DateTimeOffset instant)
    {
        var day = DateOnly.FromDateTime(instant.UtcDateTime);
        var offset = ((int)day.DayOfWeek + 6) % 7;
        return day.AddDays(-offset);
    }

    /// <summary>One notification of a recipient; null when it does not exist or belongs to another recipient.</summary>
    public async Task<ConsoleNotification?> GetForRecipientAsync(string recipientId, Guid messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(Select + "WHERE o.recipient_id = @recipient AND o.message_id = @id");
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
                Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture) == 1)
            {
                MessageType = reader.GetString(7),
            });
        }

        return list;
    }
}
