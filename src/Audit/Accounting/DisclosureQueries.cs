using Hub.Audit.Ledger;
using Hub.Audit.Storage;

namespace Hub.Audit.Accounting;

/// <summary>A ledger search; every filter is optional. Paged by sequence (keyset), oldest first.</summary>
public sealed record LedgerSearch
{
    /// <summary>Only entries about this recipient.</summary>
    public string? RecipientId { get; init; }

    /// <summary>Only entries under this agreement.</summary>
    public string? AgreementId { get; init; }

    /// <summary>Only this action (see <see cref="LedgerActions"/>).</summary>
    public string? Action { get; init; }

    /// <summary>From this time, UTC, inclusive.</summary>
    public DateTimeOffset? FromUtc { get; init; }

    /// <summary>Until this time, UTC, exclusive.</summary>
    public DateTimeOffset? ToUtc { get; init; }

    /// <summary>Entries after this sequence (0 for the first page; then the previous page's <see cref="LedgerPage.NextAfterSequence"/>).</summary>
    public long AfterSequence { get; init; }

    /// <summary>Page size, 1 to 1000.</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>A page of entries.</summary>
/// <param name="Entries">The entries, by sequence.</param>
/// <param name="NextAfterSequence">Pass as <see cref="LedgerSearch.AfterSequence"/> for the next page; null on the last.</param>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, long? NextAfterSequence);

/// <summary>Recipient views and ledger search for the console and <c>hub audit disclosures</c>.</summary>
public sealed class DisclosureQueries
{
    private readonly HubDatabase _database;

    /// <summary>Creates the queries.</summary>
    public DisclosureQueries(HubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>What one recipient was given between two times (from inclusive, to exclusive).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListByRecipientAsync(string recipientId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        var all = new List<LedgerEntry>();
        var search = new LedgerSearch { RecipientId = recipientId, Action = LedgerActions.Disclosed, FromUtc = fromUtc, ToUtc = toUtc, PageSize = 1000 };
        while (true)
        {
            var page = await SearchAsync(search, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Entries);
            if (page.NextAfterSequence is not { } next)
            {
                return all;
            }

            search = search with { AfterSequence = next };
        }
    }

    /// <summary>
    /// The most recent entry of one action (null when there is none): how the hub finds, at start, the configuration
    /// digest it recorded last. Served by the <c>(action, ts)</c> index.
    /// </summary>
    public async Task<LedgerEntry?> FindLatestAsync(string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(
                "SELECT " + LedgerStore.Columns + " FROM ledger WHERE action = @action ORDER BY ts DESC, sequence DESC LIMIT 1");
            command.Add("@action", action);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LedgerStore.Read(reader) : null;
        }
    }

    /// <summary>Searches the ledger.</summary>
    public async Task<LedgerPage> SearchAsync(LedgerSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfLessThan(search.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(search.PageSize, 1000);
        var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.Command(string.Empty);
            var where = new List<string> { "sequence > @after" };
            command.Add("@after", search.AfterSequence);
            if (search.RecipientId is not null)
            {
                where.Add("recipient_id = @recipient");
                command.Add("@recipient", search.RecipientId);
            }

            if (search.AgreementId is not null)
            {
                where.Add("agreement_id = @agreement");
                command.Add("@agreement", search.AgreementId);
            }

            if (search.Action is not null)
            {
                where.Add("action = @action");
                command.Add("@action", search.Action);
            }

            if (search.FromUtc is { } from)
            {
                where.Add("ts >= @from");
                command.Add("@from", Db.ToMicros(from));
            }

            if (search.ToUtc is { } to)
            {
                where.Add("ts < @to");
                command.Add("@to", Db.ToMicros(to));
            }

            command.CommandText = "SELECT " + LedgerStore.Columns + " FROM ledger WHERE " + string.Join(" AND ", where) + " ORDER BY sequence LIMIT @limit";
            command.Add("@limit", search.PageSize + 1);
            var entries = new List<LedgerEntry>(search.PageSize);
            var more = false;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entries.Count == search.PageSize)
                {
                    more = true;
                    break;
                }

                entries.Add(LedgerStore.Read(reader));
            }

            return new LedgerPage(entries, more ? entries[^1].Sequence : null);
        }
    }
}
