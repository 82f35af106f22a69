using System.Text.Json;
using Hub.Audit.Ledger;

namespace Hub.Host.Delivery;

/// <summary>A webhook row that exhausted its attempts.</summary>
internal sealed record DeadLetter(Guid MessageId, string RecipientId, int Attempts, string Error, DateTimeOffset AtUtc);

/// <summary>Lists dead-lettered deliveries from the ledger, so operators (and the console) can see and act on them.</summary>
internal sealed class DeadLetters(ILedger ledger)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<DeadLetter>();
        await foreach (var entry in ledger.ReadAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Content.Action != DeliveryLedgerActions.DeadLettered || !Guid.TryParse(entry.Content.CorrelationId, out var id))
            {
                continue;
            }

            var attempts = 0;
            var error = "";
            if (entry.Content.DetailsJson is { } details)
            {
                using var json = JsonDocument.Parse(details);
                attempts = json.RootElement.TryGetProperty("attempts", out var a) ? a.GetInt32() : 0;
                error = json.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
            }

            list.Add(new DeadLetter(id, entry.Content.RecipientId ?? "", attempts, error, entry.TimestampUtc));
        }

        return list;
    }
}
