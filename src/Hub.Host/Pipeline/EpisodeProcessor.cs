using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Audit.Outbox;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification;
using Hub.Deidentification.Pseudonyms;
using Hub.Host.Bus;
using Hub.Host.Configuration;
using Hub.Routing.Linkage;
using Hub.Routing.Recipients;
using Hub.Routing.Spikes;

namespace Hub.Host.Pipeline;

/// <summary>What one event led to.</summary>
internal sealed record EpisodeResult(Guid EpisodeId, int EpisodeVersion, int Recipients, int Disclosed, int Denied)
{
    /// <summary>The event was processed before, with the same content: nothing was done again.</summary>
    public static EpisodeResult AlreadyProcessed { get; } = new(Guid.Empty, 0, 0, 0, 0);
}

/// <summary>
/// The hub's core, per detected event: person tokens → episode linkage → recipients that cover the place →
/// per recipient the consent decision and disclosure profile → the disclosure ledger entry and the outbox row in
/// one transaction. Delivery happens later, from the outbox (<see cref="Delivery.OutboxDispatcher"/>).
/// </summary>
internal sealed partial class EpisodeProcessor(
    IPersonTokenizer tokenizer,
    IEpisodeLinker linker,
    IRecipientMatcher matcher,
    SpikeDetector spikes,
    IOptions<RecipientsOptions> recipients,
    AgreementCatalog agreements,
    IDisclosureService disclosure,
    ILedger ledger,
    IOutbox outbox,
    IOptions<BusOptions> bus,
    TimeProvider time,
    ILogger<EpisodeProcessor> logger)
{
    private readonly Dictionary<string, RecipientOptions> _recipients =
        recipients.Value.Recipients.ToDictionary(r => r.Id, StringComparer.Ordinal);

    // The last notification sent per (episode, recipient), so an update names what it supersedes.
    private readonly ConcurrentDictionary<(Guid Episode, string Recipient), Guid> _lastNotification = new();

    // Events processed to the end, with their content's fingerprint: the same event delivered again is a no-op.
    private readonly ProcessedEvents _processed = new();

    /// <summary>Processes one detected event; an event this instance processed before with the same content is left alone.</summary>
    public async Task<EpisodeResult> ProcessAsync(OverdoseEvent overdoseEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overdoseEvent);
        var fingerprint = ProcessedEvents.Fingerprint(overdoseEvent);
        if (_processed.Contains(overdoseEvent.EventId, fingerprint))
        {
            LogAlreadyProcessed(logger, overdoseEvent.EventId);
            return EpisodeResult.AlreadyProcessed;
        }

        var now = time.GetUtcNow();
        var tokens = tokenizer.Tokenize(overdoseEvent.Subject, overdoseEvent.Location)
            .Select(t => t.Rule + ":" + t.Value)
            .ToList();
        var episode = linker.Link(overdoseEvent, tokens);
        spikes.Record(overdoseEvent, episode.EpisodeId);
        var correlation = episode.EpisodeId.ToString();
        var entries = new List<LedgerEntryDraft>
        {
            new()
            {
                Actor = "hub",
                Action = LedgerActions.Detected,
                FeedId = overdoseEvent.FeedId,
                CorrelationId = overdoseEvent.EventId,
                DetailsJson = Details(new()
                {
                    ["definition"] = overdoseEvent.Detection.DefinitionId + "@" + overdoseEvent.Detection.DefinitionVersion,
                    ["sourceKind"] = overdoseEvent.SourceKind.ToString(),
                    ["sha256"] = overdoseEvent.Provenance.Sha256,
                    [DetectedDetails.FingerprintProperty] = DetectedDetails.Format(fingerprint), // read back when an input is taken over
                }),
            },
            new()
            {
                Actor = "hub",
                Action = LedgerActions.Linked,
                FeedId = overdoseEvent.FeedId,
                CorrelationId = correlation,
                DetailsJson = Details(new()
                {
                    ["eventId"] = overdoseEvent.EventId,
                    ["episodeVersion"] = episode.Version,
                    ["events"] = episode.Events.Count,
                }),
            },
        };

        var matches = matcher.Match(overdoseEvent, now);
        var sourceAgencies = episode.Events.Select(e => e.SourceAgencyId).Distinct(StringComparer.Ordinal).ToList();
        var disclosures = new List<(LedgerEntryDraft Entry, OutboxMessage Message)>();
        var denied = 0;
        foreach (var match in matches)
        {
            if (!_recipients.TryGetValue(match.RecipientId, out var recipient))
            {
                continue;
            }

            var key = (episode.EpisodeId, recipient.Id);
            var previous = PreviousNotification(episode, recipient.Id);
            var decision = disclosure.Decide(new DisclosureRequest
            {
                EpisodeId = episode.EpisodeId,
                EpisodeVersion = episode.Version,
                Supersedes = previous == Guid.Empty ? null : previous,
                Events = episode.Events,
                Recipient = new RecipientPrivacyContext
                {
                    RecipientId = recipient.Id,
                    RequestedProfile = recipient.Profile ?? "safe-harbor",
                    PseudonymKey = KeyOf(recipient),
                    ActorRole = recipient.Kind,
                },
                Agreements = agreements.For(recipient.Id, sourceAgencies),
                Now = now,
            });

            entries.Add(new LedgerEntryDraft
            {
                Actor = "hub",
                Action = LedgerActions.ConsentDecided,
                CorrelationId = correlation,
                RecipientId = recipient.Id,
                AgreementId = decision.AgreementId,
                Profile = decision.Profile,
                PersonPseudonym = decision.PersonPseudonym,
                DetailsJson = Details(new()
                {
                    ["permitted"] = decision.Permitted,
                    ["matchedBy"] = match.MatchedBy,
                    ["reasons"] = decision.Reasons.Select(r => r.Code).ToArray(),
                    ["obligations"] = decision.Obligations.ToArray(),
                }),
            });

            if (!decision.Permitted || decision.Notification is not { } notification)
            {
                denied++;
                continue;
            }

            var payload = JsonSerializer.Serialize(notification, HubJson.Options);
            disclosures.Add((
                new LedgerEntryDraft
                {
                    Actor = "hub",
                    Action = LedgerActions.Disclosed,
                    CorrelationId = notification.NotificationId.ToString(),
                    RecipientId = recipient.Id,
                    AgreementId = decision.AgreementId, // the real agreement; the notification may carry only its keyed reference
                    Purpose = notification.Purpose,
                    LegalBasis = notification.LegalBasis,
                    Profile = notification.Profile.Name + "@" + notification.Profile.RuleSetVersion,
                    PersonPseudonym = decision.PersonPseudonym,
                    Fields = decision.DisclosedFields,
                    PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))),
                    DetailsJson = Details(new() { ["episodeId"] = episode.EpisodeId, ["episodeVersion"] = episode.Version }),
                },
                new OutboxMessage
                {
                    MessageId = notification.NotificationId,
                    RecipientId = recipient.Id,
                    Channel = recipient.Delivery.Channel,
                    Destination = recipient.Delivery.Channel switch
                    {
                        DeliveryChannels.Queue => bus.Value.RecipientQueuePrefix + recipient.Id,
                        DeliveryChannels.Webhook => recipient.Delivery.WebhookUrl?.ToString() ?? "",
                        _ => "",
                    },
                    MessageType = "urn:message:hub:overdose-notification:v1",
                    PayloadJson = payload,
                }));
            _lastNotification[key] = notification.NotificationId;
        }

        await ledger.AppendAsync(entries, cancellationToken).ConfigureAwait(false);
        foreach (var (entry, message) in disclosures)
        {
            // One transaction each: the disclosure entry and its outgoing message exist together or not at all.
            await outbox.EnqueueAsync(entry, message, cancellationToken).ConfigureAwait(false);
        }

        _processed.Add(overdoseEvent.EventId, fingerprint);
        LogProcessed(logger, overdoseEvent.EventId, episode.EpisodeId, episode.Version, matches.Count, disclosures.Count, denied);
        return new EpisodeResult(episode.EpisodeId, episode.Version, matches.Count, disclosures.Count, denied);
    }

    /// <summary>
    /// The notification an update supersedes: the last one of this episode, or of an episode the linker merged into it
    /// (a police-only episode absorbed by a later EMS run), so the recipient replaces it rather than keeping two.
    /// </summary>
    private Guid PreviousNotification(EpisodeAssignment episode, string recipientId)
    {
        if (_lastNotification.TryGetValue((episode.EpisodeId, recipientId), out var previous))
        {
            return previous;
        }

        foreach (var merged in episode.MergedEpisodeIds)
        {
            if (_lastNotification.TryGetValue((merged, recipientId), out previous))
            {
                return previous;
            }
        }

        return Guid.Empty;
    }

    // RecipientKeyValidator guarantees at start that every recipient has a base64 key of at least 32 bytes.
    private static byte[] KeyOf(RecipientOptions recipient) => Convert.FromBase64String(recipient.PseudonymKey!);

    private static string Details(Dictionary<string, object?> details) => JsonSerializer.Serialize(details, HubJson.Options);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Event {EventId} was processed before with the same content; delivered again, nothing done")]
    private static partial void LogAlreadyProcessed(ILogger logger, string eventId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Event {EventId} → episode {EpisodeId} v{Version}: {Recipients} recipient(s), {Disclosed} disclosed, {Denied} denied")]
    private static partial void LogProcessed(ILogger logger, string eventId, Guid episodeId, int version, int recipients, int disclosed, int denied);
}
