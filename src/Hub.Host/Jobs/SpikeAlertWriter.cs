using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Contracts.Serialization;
using Hub.Host.Bus;
using Hub.Routing.Recipients;

namespace Hub.Host.Jobs;

/// <summary>
/// Turns a spike into one outbox row per recipient that receives spike alerts for that jurisdiction, each with its
/// <c>disclosed</c> ledger entry in the same transaction, so the ordinary dispatcher delivers it over the recipient's
/// channel. A spike alert carries counts only: the entry has no person pseudonym (so it never appears in a person's
/// accounting), profile <see cref="Profile"/>, purpose <see cref="Purpose"/>, and details <c>{"kind":"spike-alert",…}</c>.
/// </summary>
internal sealed class SpikeAlertWriter(
    IRecipientMatcher matcher,
    IOptions<RecipientsOptions> recipients,
    IOutbox outbox,
    IOptions<BusOptions> bus,
    ILogger<SpikeAlertWriter> logger)
{
    /// <summary>The wire name of <see cref="OverdoseSpikeDetected"/>.</summary>
    public const string MessageType = "urn:message:hub:overdose-spike-detected:v1";

    /// <summary>The ledger profile of an aggregate alert (no person data).</summary>
    public const string Profile = "aggregate-spike-alert";

    /// <summary>Purpose of use of a spike alert (public health activities).</summary>
    public const string Purpose = "PUBHLTH";

    /// <summary>The fields an alert discloses.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "jurisdictionId", "jurisdictionName", "windowStartUtc", "windowEndUtc", "eventCount", "fatalCount", "naloxoneCount", "threshold", "method",
    ];

    private readonly Dictionary<string, RecipientOptions> _recipients =
        recipients.Value.Recipients.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>Queues the alert for every matching recipient; returns how many rows were written.</summary>
    public async Task<int> EnqueueAsync(OverdoseSpikeDetected spike, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spike);
        var payload = JsonSerializer.Serialize(spike, HubJson.Options);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
        var targets = matcher.MatchSpike(spike.JurisdictionId)
            .Distinct(StringComparer.Ordinal)
            .Select(id => _recipients.GetValueOrDefault(id))
            .OfType<RecipientOptions>()
            .Where(r => r.ReceivesSpikeAlerts)
            .ToList();
        if (targets.Count == 0)
        {
            Log.SpikeWithoutRecipients(logger, spike.SpikeId, spike.JurisdictionId);
            return 0;
        }

        foreach (var recipient in targets)
        {
            var messageId = MessageIdOf(spike.SpikeId, recipient.Id);
            await outbox.EnqueueAsync(
                new LedgerEntryDraft
                {
                    Actor = "hub",
                    Action = LedgerActions.Disclosed,
                    CorrelationId = messageId.ToString(),
                    RecipientId = recipient.Id,
                    Purpose = Purpose,
                    LegalBasis = "aggregate counts, no individually identifiable information",
                    Profile = Profile,
                    Fields = Fields,
                    PayloadSha256 = sha,
                    DetailsJson = JsonSerializer.Serialize(
                        new { kind = "spike-alert", spikeId = spike.SpikeId, jurisdictionId = spike.JurisdictionId, eventCount = spike.EventCount },
                        HubJson.Options),
                },
                new OutboxMessage
                {
                    MessageId = messageId,
                    RecipientId = recipient.Id,
                    Channel = recipient.Delivery.Channel,
                    Destination = recipient.Delivery.Channel switch
                    {
                        DeliveryChannels.Queue => bus.Value.RecipientQueuePrefix + recipient.Id,
                        DeliveryChannels.Webhook => recipient.Delivery.WebhookUrl?.ToString() ?? "",
                        _ => "",
                    },
                    MessageType = MessageType,
                    PayloadJson = payload,
                },
                cancellationToken).ConfigureAwait(false);
        }

        Log.SpikeAlerted(logger, spike.SpikeId, spike.JurisdictionId, spike.EventCount, targets.Count);
        return targets.Count;
    }

    /// <summary>Stable per spike and recipient, so a redelivery is recognizable as the same alert.</summary>
    public static Guid MessageIdOf(Guid spikeId, string recipientId)
    {
        ArgumentNullException.ThrowIfNull(recipientId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("spike-alert|" + spikeId.ToString("N") + "|" + recipientId));
        return new Guid(hash.AsSpan(0, 16));
    }
}
