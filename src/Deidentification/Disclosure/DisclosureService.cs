using System.Security.Cryptography;
using System.Text;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Contracts.Sharing;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using Hub.Deidentification.Pseudonyms;

namespace Hub.Deidentification.Disclosure;

/// <summary>
/// The privacy stage: decides whether a recipient may learn about an episode and under which profile, then builds the
/// notification. Every outcome carries machine-readable reasons; anything unexpected denies with <c>internal-error</c>.
/// </summary>
public sealed class DisclosureService : IDisclosureService
{
    private const string Part2 = "42CFRPart2";
    private const string NoRedisclosure = "NORDSCLCD";

    private readonly ProfileCatalog _catalog;
    private readonly IPersonTokenizer _tokenizer;
    private readonly Dictionary<string, ProfileApplier> _appliers;
    private readonly Dictionary<string, AppliedProfile> _applied;

    /// <summary>Creates the service.</summary>
    /// <param name="catalog">The validated profiles.</param>
    /// <param name="tokenizer">The hub's person tokenizer (for per-recipient pseudonyms and per-person date shifts).</param>
    /// <param name="density">Population density for point perturbation; unknown density uses the largest displacement.</param>
    public DisclosureService(ProfileCatalog catalog, IPersonTokenizer tokenizer, IPopulationDensity? density = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _catalog = catalog;
        _tokenizer = tokenizer;
        var populationDensity = density ?? new UnknownPopulationDensity();
        _appliers = catalog.Profiles.ToDictionary(p => p.Name, p => new ProfileApplier(catalog.Zip3ListFor(p), populationDensity), StringComparer.Ordinal);
        _applied = catalog.Profiles.ToDictionary(p => p.Name, Describe, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public DisclosureDecision Decide(DisclosureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return DecideCore(request);
        }
#pragma warning disable CA1031 // Fail closed: any unexpected condition is a denial, never a leak; only the type name is kept (no PHI).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Deny([new DecisionReason("internal-error", $"unexpected {ex.GetType().Name}; denied (fail closed)")]);
        }
    }

    private static DisclosureDecision Deny(List<DecisionReason> reasons) => new() { Permitted = false, Reasons = reasons };

    private DisclosureDecision DecideCore(DisclosureRequest request)
    {
        var reasons = new List<DecisionReason>();
        var obligations = new List<string>();
        var recipient = request.Recipient;
        if (request.Events.Count == 0)
        {
            return Deny([new DecisionReason("no-events", "the episode has no events")]);
        }

        if (request.OptedOut || request.Events.Any(e => e.ConsentSignals.Any(s => s.Kind == ConsentSignalKind.OptOut)))
        {
            return Deny([new DecisionReason("opt-out", "the person is on the opt-out registry")]);
        }

        // Agreements: each event needs one in force between its source agency and this recipient.
        var today = DateOnly.FromDateTime(request.Now.UtcDateTime);
        var included = new List<(OverdoseEvent Event, DataSharingAgreement Agreement)>();
        foreach (var e in request.Events)
        {
            var agreement = request.Agreements.FirstOrDefault(a =>
                string.Equals(a.RecipientId, recipient.RecipientId, StringComparison.Ordinal) && a.SourceAgencyIds.Contains(e.SourceAgencyId, StringComparer.Ordinal));
            if (agreement is null)
            {
                reasons.Add(new DecisionReason("no-agreement", $"no agreement covers source agency {e.SourceAgencyId} for recipient {recipient.RecipientId}"));
            }
            else if (agreement.EffectiveFrom is { } from && today < from)
            {
                reasons.Add(new DecisionReason("agreement-not-yet-effective", $"agreement {agreement.Id} is effective from {Dates.Iso(from)}"));
            }
            else if (agreement.ExpiresOn is { } until && today > until)
            {
                reasons.Add(new DecisionReason("agreement-expired", $"agreement {agreement.Id} expired on {Dates.Iso(until)}"));
            }
            else
            {
                included.Add((e, agreement));
            }
        }

        if (included.Count == 0)
        {
            return Deny(reasons);
        }

        // FHIR Consent deny provisions and documented refusals, for the agreement's purpose and this recipient.
        foreach (var (e, agreement) in included)
        {
            foreach (var signal in e.ConsentSignals)
            {
                if (signal.Kind is ConsentSignalKind.ConsentDeny or ConsentSignalKind.RefusalDocumented && Applies(signal, agreement.Purpose, recipient, request.Now))
                {
                    var code = signal.Kind == ConsentSignalKind.ConsentDeny ? "consent-deny" : "refusal-documented";
                    return Deny([.. reasons, new DecisionReason(code, $"{signal.Source ?? "consent"} denies purpose {agreement.Purpose} to this recipient")]);
                }
            }
        }

        if (!_catalog.TryGet(recipient.RequestedProfile, out var profile))
        {
            return Deny([.. reasons, new DecisionReason("unknown-profile", $"requested profile '{recipient.RequestedProfile}' is not configured")]);
        }

        foreach (var agreement in included.Select(i => i.Agreement).Distinct())
        {
            if (!_catalog.TryGet(agreement.MaxProfile, out var max))
            {
                return Deny([.. reasons, new DecisionReason("unknown-profile", $"agreement {agreement.Id} names unknown profile '{agreement.MaxProfile}'")]);
            }

            if (max.Level < profile.Level)
            {
                reasons.Add(new DecisionReason("profile-capped-by-agreement", $"agreement {agreement.Id} allows at most {max.Name}"));
                profile = max;
            }
        }

        // DS4P labels.
        var labelled = included.Where(i => i.Event.SecurityLabels.Any(l => Is(l, Part2))).ToList();
        if (labelled.Count > 0)
        {
            var permitted = labelled.TrueForAll(i => i.Event.ConsentSignals.Any(s =>
                s.Kind == ConsentSignalKind.ConsentPermit && Applies(s, i.Agreement.Purpose, recipient, request.Now)));
            if (permitted)
            {
                reasons.Add(new DecisionReason("part2-consent-permits", "42 CFR Part 2 record: a consent permits this recipient and purpose"));
            }
            else
            {
                reasons.Add(new DecisionReason("part2-no-consent-deidentified", "42 CFR Part 2 record without a permitting consent: de-identified at most"));
                if (!CapToDeidentified(ref profile, reasons))
                {
                    return Deny(reasons);
                }
            }

            obligations.Add("no-redisclosure");
            obligations.Add("part2-notice:42CFR2.32");
        }

        if (included.Exists(i => i.Event.SecurityLabels.Any(l => Is(l, NoRedisclosure))))
        {
            reasons.Add(new DecisionReason("label-no-redisclosure", "a source record is labelled NORDSCLCD"));
            obligations.Add("no-redisclosure");
        }

        var events = included.ConvertAll(i => i.Event);
        var episode = EpisodeMerger.Merge(events);

        // Minors.
        if (episode.AgeYears is < 18)
        {
            var notCovering = included.Select(i => i.Agreement).Where(a => !a.AllowsMinors).Select(a => a.Id).Distinct().ToList();
            if (notCovering.Count > 0 && profile.Level > ProfileLevel.Deidentified)
            {
                reasons.Add(new DecisionReason("minor-not-covered-deidentified", $"the person is under 18 and agreement {string.Join(",", notCovering)} excludes minors"));
                if (!CapToDeidentified(ref profile, reasons))
                {
                    return Deny(reasons);
                }
            }
            else if (notCovering.Count == 0)
            {
                reasons.Add(new DecisionReason("minor-covered-by-agreement", "the person is under 18 and the agreement allows minors"));
            }
        }

        // Police data: not PHI, governed by the police agency's own agreement.
        var police = included.Where(i => i.Event.SourceKind == SourceKind.Police).Select(i => i.Agreement.Id).Distinct().ToList();
        if (police.Count > 0)
        {
            var policeOnly = included.TrueForAll(i => i.Event.SourceKind == SourceKind.Police);
            reasons.Add(new DecisionReason(policeOnly ? "police-source-only" : "police-source-included", $"police CAD data (not PHI) under agreement {string.Join(",", police)}"));
            obligations.AddRange(police.Select(id => "police-agreement:" + id));
        }

        if (request.Events.Any(e => e.Location.Suppressed))
        {
            reasons.Add(new DecisionReason("location-suppressed", "a source marked the location sensitive; it is not disclosed"));
        }

        var keyed = profile.Rules.Values.Any(r => r.Method is ProfileFields.Methods.Pseudonymize or ProfileFields.Methods.Shift or ProfileFields.Methods.Perturb);
        var minKey = Math.Max(profile.Parameters.MinKeyBytes ?? 0, ProfileValidator.MinimumKeyBytes);
        if (recipient.PseudonymKey.Count < minKey && (keyed || episode.Subject is not null))
        {
            return Deny([.. reasons, new DecisionReason("recipient-key-too-short", $"recipient key has {recipient.PseudonymKey.Count} bytes; {minKey} required")]);
        }

        foreach (var label in episode.Labels)
        {
            obligations.Add("carry-label:" + label.Code);
        }

        var primary = included.Find(i => i.Event.SourceKind != SourceKind.Police).Agreement ?? included[0].Agreement;
        if (profile.Level == ProfileLevel.Identified && included.Exists(i => i.Event.SourceKind != SourceKind.Police))
        {
            obligations.Add("minimum-necessary");
            obligations.Add("account-disclosure:45CFR164.528");
        }
        else if (profile.Level == ProfileLevel.Limited)
        {
            obligations.Add("data-use-agreement:45CFR164.514(e)(4)");
        }

        return Build(request, profile, primary, episode, reasons, obligations);
    }

    private DisclosureDecision Build(
        DisclosureRequest request, DisclosureProfile profile, DataSharingAgreement primary, MergedEpisode episode, List<DecisionReason> reasons, List<string> obligations)
    {
        var key = request.Recipient.PseudonymKey as byte[] ?? [.. request.Recipient.PseudonymKey];
        var hubToken = HubToken(episode);
        var personPseudonym = hubToken is null ? null : Keyed.HmacHex(key, "person|" + hubToken);
        var context = new ApplyContext(key, hubToken ?? "episode|" + request.EpisodeId.ToString("N"), request.EpisodeId.ToString("N"), personPseudonym);
        var applied = _appliers[profile.Name].Apply(profile, episode, context, request.Now);

        var distinctObligations = obligations.Distinct(StringComparer.Ordinal).ToList();
        reasons.Add(new DecisionReason("permit", $"disclosed under {profile.Name} {profile.Version}, agreement {primary.Id}, purpose {primary.Purpose}"));
        var notification = new OverdoseNotification
        {
            NotificationId = NotificationIdOf(request.EpisodeId, request.EpisodeVersion, request.Recipient.RecipientId),
            EpisodeId = request.EpisodeId,
            EpisodeVersion = request.EpisodeVersion,
            Supersedes = request.Supersedes,
            RecipientId = request.Recipient.RecipientId,
            OccurredAtUtc = applied.OccurredAtUtc,
            SourceAgencies = applied.SourceAgencies,
            SourceKinds = episode.SourceKinds,
            AgreementId = primary.Id,
            Purpose = primary.Purpose,
            LegalBasis = primary.LegalBasis,
            Profile = _applied[profile.Name],
            Subject = applied.Subject,
            Event = applied.Event,
            SecurityLabels = episode.Labels,
            Obligations = distinctObligations,
        };

        return new DisclosureDecision
        {
            Permitted = true,
            Profile = profile.Name,
            AgreementId = primary.Id,
            Reasons = reasons,
            Obligations = distinctObligations,
            Notification = notification,
            DisclosedFields = applied.Fields,
            PersonPseudonym = personPseudonym,
        };
    }

    /// <summary>The notification id: the same episode, version and recipient always give the same id (name-based, SHA-256).</summary>
    public static Guid NotificationIdOf(Guid episodeId, int version, string recipientId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"hub-notification|{episodeId:N}|{version}|{recipientId}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom, name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    private static AppliedProfile Describe(DisclosureProfile profile) => new()
    {
        Name = profile.Name,
        RuleSetVersion = profile.Version,
        Methods = [.. ProfileFields.All.Keys.Select(field => new AppliedMethod { Field = field, Method = profile.RuleFor(field).Describe() })],
    };

    private string? HubToken(MergedEpisode episode)
    {
        if (episode.Subject is null)
        {
            return null;
        }

        if (_tokenizer is PersonTokenizer hub)
        {
            return hub.PrimaryToken(episode.Subject, episode.Location)?.Value;
        }

        var tokens = _tokenizer.Tokenize(episode.Subject, episode.Location);
        return tokens.Count == 0 ? null : tokens[0].Value;
    }

    private bool CapToDeidentified(ref DisclosureProfile profile, List<DecisionReason> reasons)
    {
        if (profile.Level == ProfileLevel.Deidentified)
        {
            return true;
        }

        var deidentified = _catalog.TryGet("safe-harbor", out var sh) && sh.Level == ProfileLevel.Deidentified
            ? sh
            : _catalog.Profiles.FirstOrDefault(p => p.Level == ProfileLevel.Deidentified);
        if (deidentified is null)
        {
            reasons.Add(new DecisionReason("no-deidentified-profile", "a de-identified profile is required but none is configured"));
            return false;
        }

        profile = deidentified;
        return true;
    }

    private static bool Is(SecurityLabel label, string code) => string.Equals(label.Code, code, StringComparison.OrdinalIgnoreCase);

    private static bool Applies(ConsentSignal signal, string purpose, RecipientPrivacyContext recipient, DateTimeOffset now)
    {
        var purposeMatches = signal.Purposes.Count == 0 || signal.Purposes.Contains(purpose, StringComparer.OrdinalIgnoreCase);
        var actorMatches = signal.Actors.Count == 0
            || signal.Actors.Contains(recipient.RecipientId, StringComparer.Ordinal)
            || (recipient.ActorRole is { } role && signal.Actors.Contains(role, StringComparer.OrdinalIgnoreCase));
        var periodMatches = (signal.PeriodStart is null || now >= signal.PeriodStart) && (signal.PeriodEnd is null || now <= signal.PeriodEnd);
        return purposeMatches && actorMatches && periodMatches;
    }
}
