using System.Globalization;
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

    /// <summary>Hex characters of the keyed agreement reference disclosed to non-identified profiles (64 bits).</summary>
    private const int AgreementReferenceHexChars = 16;

    private readonly ProfileCatalog _catalog;
    private readonly IPersonTokenizer _tokenizer;
    private readonly Dictionary<string, ProfileApplier> _appliers;
    private readonly Dictionary<string, AppliedProfile> _applied;
    private readonly DisclosureProfile? _deidentified;

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
        _appliers = catalog.Profiles.ToDictionary(p => p.Name, p => new ProfileApplier(p, catalog.Zip3ListFor(p), populationDensity), StringComparer.Ordinal);
        _applied = catalog.Profiles.ToDictionary(p => p.Name, Describe, StringComparer.Ordinal);
        _deidentified = catalog.TryGet("safe-harbor", out var sh) && sh.Level == ProfileLevel.Deidentified
            ? sh
            : catalog.Profiles.FirstOrDefault(p => p.Level == ProfileLevel.Deidentified);
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

    /// <summary>
    /// The agreement reference a non-identified recipient is given instead of the agreement id: <c>dsa-</c> + 16 hex
    /// characters of HMAC-SHA256(recipient key, <c>agreement|</c> + id). Agreement ids are chosen by people and often name
    /// a place (<c>county-x-ems-to-outreach</c>), which Safe Harbor removes; the set of ids is small, so only a keyed digest
    /// (not a plain hash) keeps it from being guessed back. The ledger keeps the real id (<see cref="DisclosureDecision.AgreementId"/>).
    /// </summary>
    /// <param name="recipientKey">The recipient's pseudonym key, held by the hub.</param>
    /// <param name="agreementId">The agreement's configured id.</param>
    public static string AgreementReference(ReadOnlySpan<byte> recipientKey, string agreementId)
    {
        ArgumentNullException.ThrowIfNull(agreementId);

        // Agreements are few and repeat on every notification: the reference is remembered per key (per thread).
        return KeyedHashCache.Memo(recipientKey, agreementId, static (key, id) =>
        {
            Span<byte> hash = stackalloc byte[32];
            Keyed.Hmac(key, "agreement|", id, hash);
            return string.Concat("dsa-", Convert.ToHexStringLower(hash[..(AgreementReferenceHexChars / 2)]));
        });
    }

    private static DisclosureDecision Deny(List<DecisionReason> reasons) => new() { Permitted = false, Reasons = reasons };

    private static DisclosureDecision Deny(List<DecisionReason> reasons, DecisionReason last)
    {
        reasons.Add(last);
        return Deny(reasons);
    }

    private DisclosureDecision DecideCore(DisclosureRequest request)
    {
        var recipient = request.Recipient;
        var events = request.Events;
        if (events.Count == 0)
        {
            return Deny([new DecisionReason("no-events", "the episode has no events")]);
        }

        if (request.OptedOut || AnyOptOut(events))
        {
            return Deny([new DecisionReason("opt-out", "the person is on the opt-out registry")]);
        }

        // Agreements: each event needs one in force between its source agency and this recipient.
        var reasons = new List<DecisionReason>(4);
        var today = DateOnly.FromDateTime(request.Now.UtcDateTime);
        var includedEvents = new List<OverdoseEvent>(events.Count);
        var includedAgreements = new List<DataSharingAgreement>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var agreement = FindAgreement(request.Agreements, recipient.RecipientId, e.SourceAgencyId);
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
                includedEvents.Add(e);
                includedAgreements.Add(agreement);
            }
        }

        if (includedEvents.Count == 0)
        {
            return Deny(reasons);
        }

        // FHIR Consent deny provisions and documented refusals, for the agreement's purpose and this recipient.
        for (var i = 0; i < includedEvents.Count; i++)
        {
            var agreement = includedAgreements[i];
            foreach (var signal in includedEvents[i].ConsentSignals)
            {
                if (signal.Kind is ConsentSignalKind.ConsentDeny or ConsentSignalKind.RefusalDocumented && Applies(signal, agreement.Purpose, recipient, request.Now))
                {
                    var code = signal.Kind == ConsentSignalKind.ConsentDeny ? "consent-deny" : "refusal-documented";
                    return Deny(reasons, new DecisionReason(code, $"{signal.Source ?? "consent"} denies purpose {agreement.Purpose} to this recipient"));
                }
            }
        }

        if (!_catalog.TryGet(recipient.RequestedProfile, out var profile))
        {
            return Deny(reasons, new DecisionReason("unknown-profile", $"requested profile '{recipient.RequestedProfile}' is not configured"));
        }

        for (var i = 0; i < includedAgreements.Count; i++)
        {
            var agreement = includedAgreements[i];
            if (includedAgreements.IndexOf(agreement) != i)
            {
                continue; // each distinct agreement once, in first-seen order
            }

            if (!_catalog.TryGet(agreement.MaxProfile, out var max))
            {
                return Deny(reasons, new DecisionReason("unknown-profile", $"agreement {agreement.Id} names unknown profile '{agreement.MaxProfile}'"));
            }

            if (max.Level < profile.Level)
            {
                reasons.Add(new DecisionReason("profile-capped-by-agreement", $"agreement {agreement.Id} allows at most {max.Name}"));
                profile = max;
            }
        }

        // DS4P labels.
        var obligations = new List<string>(6);
        var anyPart2 = false;
        var part2Permitted = true;
        var anyNoRedisclosure = false;
        for (var i = 0; i < includedEvents.Count; i++)
        {
            var e = includedEvents[i];
            if (HasLabel(e, Part2))
            {
                anyPart2 = true;
                part2Permitted &= HasPermit(e, includedAgreements[i].Purpose, recipient, request.Now);
            }

            anyNoRedisclosure |= HasLabel(e, NoRedisclosure);
        }

        if (anyPart2)
        {
            if (part2Permitted)
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

        if (anyNoRedisclosure)
        {
            reasons.Add(new DecisionReason("label-no-redisclosure", "a source record is labelled NORDSCLCD"));
            AddDistinct(obligations, "no-redisclosure");
        }

        var episode = EpisodeMerger.Merge(includedEvents);

        // Minors.
        if (episode.AgeYears is < 18)
        {
            List<string>? notCovering = null;
            foreach (var a in includedAgreements)
            {
                if (!a.AllowsMinors && (notCovering is null || !notCovering.Contains(a.Id)))
                {
                    (notCovering ??= []).Add(a.Id);
                }
            }

            if (notCovering is not null && profile.Level > ProfileLevel.Deidentified)
            {
                reasons.Add(new DecisionReason("minor-not-covered-deidentified", $"the person is under 18 and agreement {string.Join(",", notCovering)} excludes minors"));
                if (!CapToDeidentified(ref profile, reasons))
                {
                    return Deny(reasons);
                }
            }
            else if (notCovering is null)
            {
                reasons.Add(new DecisionReason("minor-covered-by-agreement", "the person is under 18 and the agreement allows minors"));
            }
        }

        // Police data: not PHI, governed by the police agency's own agreement.
        List<string>? police = null;
        var policeOnly = true;
        var primaryIndex = -1;
        for (var i = 0; i < includedEvents.Count; i++)
        {
            if (includedEvents[i].SourceKind == SourceKind.Police)
            {
                var id = includedAgreements[i].Id;
                if (police is null || !police.Contains(id))
                {
                    (police ??= []).Add(id);
                }
            }
            else
            {
                policeOnly = false;
                if (primaryIndex < 0)
                {
                    primaryIndex = i;
                }
            }
        }

        if (police is not null)
        {
            reasons.Add(new DecisionReason(policeOnly ? "police-source-only" : "police-source-included", $"police CAD data (not PHI) under agreement {string.Join(",", police)}"));
            foreach (var id in police)
            {
                AddDistinct(obligations, "police-agreement:" + id);
            }
        }

        if (AnySuppressed(events))
        {
            reasons.Add(new DecisionReason("location-suppressed", "a source marked the location sensitive; it is not disclosed"));
        }

        var applier = _appliers[profile.Name];
        var minKey = Math.Max(profile.Parameters.MinKeyBytes ?? 0, ProfileValidator.MinimumKeyBytes);
        if (recipient.PseudonymKey.Count < minKey && (applier.NeedsKey || episode.Subject is not null || profile.Level < ProfileLevel.Identified))
        {
            return Deny(reasons, new DecisionReason("recipient-key-too-short", $"recipient key has {recipient.PseudonymKey.Count} bytes; {minKey} required"));
        }

        foreach (var label in episode.Labels)
        {
            AddDistinct(obligations, "carry-label:" + label.Code);
        }

        var primary = includedAgreements[primaryIndex < 0 ? 0 : primaryIndex];
        if (profile.Level == ProfileLevel.Identified && !policeOnly)
        {
            AddDistinct(obligations, "minimum-necessary");
            AddDistinct(obligations, "account-disclosure:45CFR164.528");
        }
        else if (profile.Level == ProfileLevel.Limited)
        {
            AddDistinct(obligations, "data-use-agreement:45CFR164.514(e)(4)");
        }

        return Build(request, profile, applier, primary, episode, reasons, obligations);
    }

    private DisclosureDecision Build(
        DisclosureRequest request,
        DisclosureProfile profile,
        ProfileApplier applier,
        DataSharingAgreement primary,
        MergedEpisode episode,
        List<DecisionReason> reasons,
        List<string> obligations)
    {
        var key = KeyBytes(request.Recipient.PseudonymKey);
        var context = PersonContext(key, episode, request.EpisodeId, applier.ShiftsDates);
        var personPseudonym = context.PersonPseudonym;
        var applied = applier.Apply(episode, context, request.Now);

        // What the recipient reads: below identified, agreement ids (which people name after places) become keyed references.
        var agreementForRecipient = primary.Id;
        IReadOnlyList<string> recipientObligations = obligations;
        if (profile.Level < ProfileLevel.Identified)
        {
            agreementForRecipient = AgreementReference(key, primary.Id);
            recipientObligations = ObligationsForRecipient(obligations, key);
        }

        reasons.Add(new DecisionReason("permit", string.Concat(["disclosed under ", profile.Name, " ", profile.Version, ", agreement ", primary.Id, ", purpose ", primary.Purpose])));
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
            AgreementId = agreementForRecipient,
            Purpose = primary.Purpose,
            LegalBasis = primary.LegalBasis,
            Profile = _applied[profile.Name],
            Subject = applied.Subject,
            Event = applied.Event,
            SecurityLabels = episode.Labels,
            Obligations = recipientObligations,
        };

        return new DisclosureDecision
        {
            Permitted = true,
            Profile = profile.Name,
            AgreementId = primary.Id,
            Reasons = reasons,
            Obligations = obligations,
            Notification = notification,
            DisclosedFields = applied.Fields,
            PersonPseudonym = personPseudonym,
        };
    }

    private static byte[] KeyBytes(IReadOnlyList<byte> key)
    {
        if (key is byte[] bytes)
        {
            return bytes;
        }

        var copy = new byte[key.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = key[i];
        }

        return copy;
    }

    /// <summary>The obligations as the recipient reads them: <c>police-agreement:&lt;id&gt;</c> names the keyed reference, not the id.</summary>
    private static List<string> ObligationsForRecipient(List<string> obligations, byte[] key)
    {
        const string PoliceAgreement = "police-agreement:";
        var result = new List<string>(obligations.Count);
        foreach (var o in obligations)
        {
            result.Add(o.StartsWith(PoliceAgreement, StringComparison.Ordinal)
                ? PoliceAgreement + AgreementReference(key, o[PoliceAgreement.Length..])
                : o);
        }

        return result;
    }

    /// <summary>The notification id: the same episode, version and recipient always give the same id (name-based, SHA-256).</summary>
    public static Guid NotificationIdOf(Guid episodeId, int version, string recipientId)
    {
        ArgumentNullException.ThrowIfNull(recipientId);
        Span<byte> hash = stackalloc byte[32];
        Span<byte> input = stackalloc byte[256];
        if (System.Text.Unicode.Utf8.TryWrite(input, CultureInfo.InvariantCulture, $"hub-notification|{episodeId:N}|{version}|{recipientId}", out var written))
        {
            KeyedHashCache.Sha256(input[..written], hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"hub-notification|{episodeId:N}|{version}|{recipientId}")), hash);
        }

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

    /// <summary>
    /// The person's scope for this recipient: the pseudonym HMAC-SHA256(recipient key, <c>person|</c> + primary hub token)
    /// and, when the profile shifts dates, the hub token itself (the shift's scope). With the hub's own tokenizer the token
    /// is hashed from its 32 bytes, written as the same lower-case hex into a stack buffer: the same value without building
    /// the token's string.
    /// </summary>
    private ApplyContext PersonContext(byte[] key, MergedEpisode episode, Guid episodeId, bool needsTokenText)
    {
        if (episode.Subject is null)
        {
            return new ApplyContext(key, null, episodeId, null);
        }

        if (_tokenizer is PersonTokenizer hub)
        {
            Span<byte> token = stackalloc byte[32];
            if (hub.TryPrimaryTokenHash(episode.Subject, token))
            {
                ReadOnlySpan<byte> prefix = "person|"u8;
                Span<byte> input = stackalloc byte[prefix.Length + 64];
                prefix.CopyTo(input);
                if (!Convert.TryToHexStringLower(token, input[prefix.Length..], out var hexBytes) || hexBytes != 64)
                {
                    throw new InvalidOperationException("hub token hex does not fit"); // cannot happen; Decide denies (fail closed)
                }

                Span<byte> pseudonym = stackalloc byte[32];
                Keyed.HmacBytes(key, input, pseudonym);
                return new ApplyContext(key, needsTokenText ? Convert.ToHexStringLower(token) : null, episodeId, Convert.ToHexStringLower(pseudonym))
                {
                    HasHubToken = true,
                };
            }
        }

        var tokenText = HubToken(episode.Subject, episode.Location);
        return tokenText is null
            ? new ApplyContext(key, null, episodeId, null)
            : new ApplyContext(key, tokenText, episodeId, Keyed.HmacHex(key, "person|", tokenText)) { HasHubToken = true };
    }

    private string? HubToken(SubjectIdentity subject, EventLocation location)
    {
        if (_tokenizer is PersonTokenizer hub)
        {
            return hub.PrimaryToken(subject, location)?.Value;
        }

        var tokens = _tokenizer.Tokenize(subject, location);
        return tokens.Count == 0 ? null : tokens[0].Value;
    }

    private bool CapToDeidentified(ref DisclosureProfile profile, List<DecisionReason> reasons)
    {
        if (profile.Level == ProfileLevel.Deidentified)
        {
            return true;
        }

        if (_deidentified is null)
        {
            reasons.Add(new DecisionReason("no-deidentified-profile", "a de-identified profile is required but none is configured"));
            return false;
        }

        profile = _deidentified;
        return true;
    }

    private static DataSharingAgreement? FindAgreement(IReadOnlyList<DataSharingAgreement> agreements, string recipientId, string agencyId)
    {
        for (var i = 0; i < agreements.Count; i++)
        {
            var a = agreements[i];
            if (string.Equals(a.RecipientId, recipientId, StringComparison.Ordinal) && Contains(a.SourceAgencyIds, agencyId))
            {
                return a;
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsIgnoreCase(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static bool AnyOptOut(IReadOnlyList<OverdoseEvent> events)
    {
        foreach (var e in events)
        {
            foreach (var s in e.ConsentSignals)
            {
                if (s.Kind == ConsentSignalKind.OptOut)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool AnySuppressed(IReadOnlyList<OverdoseEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Location.Suppressed)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLabel(OverdoseEvent e, string code)
    {
        foreach (var l in e.SecurityLabels)
        {
            if (string.Equals(l.Code, code, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasPermit(OverdoseEvent e, string purpose, RecipientPrivacyContext recipient, DateTimeOffset now)
    {
        foreach (var s in e.ConsentSignals)
        {
            if (s.Kind == ConsentSignalKind.ConsentPermit && Applies(s, purpose, recipient, now))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Applies(ConsentSignal signal, string purpose, RecipientPrivacyContext recipient, DateTimeOffset now)
    {
        var purposeMatches = signal.Purposes.Count == 0 || ContainsIgnoreCase(signal.Purposes, purpose);
        var actorMatches = signal.Actors.Count == 0
            || Contains(signal.Actors, recipient.RecipientId)
            || (recipient.ActorRole is { } role && ContainsIgnoreCase(signal.Actors, role));
        var periodMatches = (signal.PeriodStart is null || now >= signal.PeriodStart) && (signal.PeriodEnd is null || now <= signal.PeriodEnd);
        return purposeMatches && actorMatches && periodMatches;
    }
}
