using System.Globalization;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using M = Hub.Deidentification.Profiles.ProfileFields.Methods;

namespace Hub.Deidentification.Disclosure;

/// <summary>
/// What keyed methods need: the recipient's key and what the values are stable for. <paramref name="HubToken"/> is the
/// person's primary hub token when the profile shifts dates (else null, even when <see cref="HasHubToken"/>); the date
/// shift is keyed by it, or by the episode when the person has no token.
/// </summary>
internal readonly record struct ApplyContext(byte[] RecipientKey, string? HubToken, Guid EpisodeId, string? PersonPseudonym)
{
    /// <summary>True when the person has a hub token (so the shift must use it, never the episode).</summary>
    public bool HasHubToken { get; init; }
}

/// <summary>What a profile made of one episode: the header fields it governs, the subject, the event, and the fields with a value.</summary>
internal readonly record struct AppliedEpisode(
    DateTimeOffset OccurredAtUtc, IReadOnlyList<string> SourceAgencies, DisclosedSubject Subject, DisclosedEvent Event, List<string> Fields);

/// <summary>A rule's method, parsed once when the profile is loaded.</summary>
internal enum FieldMethod : byte
{
    /// <summary>Not disclosed (also any method the applier does not know: fail closed).</summary>
    Redact,
    Keep,
    Pseudonymize,
    Shift,
    TruncateDate,
    TruncateYear,
    Generalize,
    Perturb,
}

/// <summary>
/// Applies one profile, field by field, to a merged episode. The profile's rules are compiled once, at start, into one
/// <see cref="FieldMethod"/> per field, so a decision reads fields instead of looking rule names up and comparing method
/// strings; the behaviour is the rule file's.
/// </summary>
internal sealed class ProfileApplier
{
    private readonly RestrictedZip3List _zip3List;
    private readonly IPopulationDensity _density;
    private readonly DisclosureProfile _profile;
    private readonly FieldMethod _headerTime, _agencies, _pseudonym, _familyName, _givenName, _birthDate, _sex, _phone;
    private readonly FieldMethod _homeStreet, _homeCity, _homeCounty, _homeState, _homeZip;
    private readonly FieldMethod _occurredAt, _street, _block, _intersection, _city, _state, _zip, _county, _tract, _point, _beat, _locationType;
    private readonly FieldMethod _substance, _naloxoneGiven, _naloxoneDoses, _naloxoneResponse, _fatal, _disposition, _impressions, _dispatch, _definitions, _narrative;
    private readonly FieldRule _ageRule;
    private readonly double _cellDegrees;
    private readonly int _shiftMaxDays;
    private readonly bool _headerTimeKnown;

    public ProfileApplier(DisclosureProfile profile, RestrictedZip3List zip3List, IPopulationDensity density)
    {
        _profile = profile;
        _zip3List = zip3List;
        _density = density;
        var header = profile.RuleFor(ProfileFields.HeaderTime).Method;
        _headerTimeKnown = header is M.Keep or M.TruncateYear;
        _headerTime = Of(ProfileFields.HeaderTime);
        _agencies = Of(ProfileFields.SourceAgencies);
        _pseudonym = Of("subject.pseudonym");
        _familyName = Of("subject.familyName");
        _givenName = Of("subject.givenName");
        _birthDate = Of("subject.birthDate");
        _ageRule = profile.RuleFor("subject.age");
        _sex = Of("subject.sex");
        _phone = Of("subject.phone");
        _homeStreet = Of("subject.homeAddress.street");
        _homeCity = Of("subject.homeAddress.city");
        _homeCounty = Of("subject.homeAddress.countyFips");
        _homeState = Of("subject.homeAddress.state");
        _homeZip = Of("subject.homeAddress.zip");
        _occurredAt = Of("event.occurredAt");
        _street = Of("event.location.street");
        _block = Of("event.location.block");
        _intersection = Of("event.location.intersection");
        _city = Of("event.location.city");
        _state = Of("event.location.state");
        _zip = Of("event.location.zip");
        _county = Of("event.location.countyFips");
        _tract = Of("event.location.censusTract");
        _point = Of("event.location.point");
        _cellDegrees = profile.RuleFor("event.location.point").CellDegrees ?? 0.01;
        _beat = Of("event.location.beat");
        _locationType = Of("event.location.locationType");
        _substance = Of("event.substance");
        _naloxoneGiven = Of("event.naloxoneGiven");
        _naloxoneDoses = Of("event.naloxoneDoses");
        _naloxoneResponse = Of("event.naloxoneResponse");
        _fatal = Of("event.fatal");
        _disposition = Of("event.disposition");
        _impressions = Of("event.impressions");
        _dispatch = Of("event.dispatchReason");
        _definitions = Of("event.definitions");
        _narrative = Of("event.narrative");
        _shiftMaxDays = profile.Parameters.DateShiftMaxDays ?? 1;
        foreach (var rule in profile.Rules.Values)
        {
            NeedsKey |= rule.Method is M.Pseudonymize or M.Shift or M.Perturb;
        }

        FieldMethod Of(string field) => Parse(profile.RuleFor(field).Method);
    }

    /// <summary>True when the profile pseudonymizes, shifts or perturbs anything (it then needs a recipient key).</summary>
    public bool NeedsKey { get; }

    /// <summary>True when a date is shifted (the shift is keyed by the person's hub token).</summary>
    public bool ShiftsDates => _birthDate == FieldMethod.Shift || _occurredAt == FieldMethod.Shift;

    public static FieldMethod Parse(string method) => method switch
    {
        M.Keep => FieldMethod.Keep,
        M.Pseudonymize => FieldMethod.Pseudonymize,
        M.Shift => FieldMethod.Shift,
        M.TruncateDate => FieldMethod.TruncateDate,
        M.TruncateYear => FieldMethod.TruncateYear,
        M.Generalize => FieldMethod.Generalize,
        M.Perturb => FieldMethod.Perturb,
        _ => FieldMethod.Redact,
    };

    public AppliedEpisode Apply(MergedEpisode episode, ApplyContext context, DateTimeOffset disclosedAt)
    {
        var fields = new List<string>(ProfileFields.All.Count);
        var occurredAtUtc = HeaderTime(episode.OccurredAt, disclosedAt);
        fields.Add(ProfileFields.HeaderTime);
        IReadOnlyList<string> agencies = _agencies == FieldMethod.Keep ? episode.SourceAgencies : [];
        if (agencies.Count > 0)
        {
            fields.Add(ProfileFields.SourceAgencies);
        }

        var shift = new ShiftCache(context, _shiftMaxDays);
        var subject = episode.Subject is { } s ? ApplySubject(s, episode, context, ref shift, fields) : new DisclosedSubject();
        var ev = ApplyEvent(episode, context, ref shift, fields);
        return new AppliedEpisode(occurredAtUtc, agencies, subject, ev, fields);
    }

    /// <summary>
    /// The header time. Kept, it is when the hub made the notification (minutes after the event). Truncated, it is
    /// January 1 of the event's year at 00:00Z: the year is all Safe Harbor allows, and it is the same year
    /// <c>event.occurredAt: truncate-year</c> shows. The ledger keeps the real disclosure time either way.
    /// </summary>
    private DateTimeOffset HeaderTime(DateTimeOffset eventAt, DateTimeOffset disclosedAt) =>
        (_headerTimeKnown ? _headerTime : FieldMethod.Redact) switch
        {
            FieldMethod.Keep => disclosedAt.ToUniversalTime(),
            FieldMethod.TruncateYear => new DateTimeOffset(eventAt.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),

            // Fail closed: the validator allows only keep and truncate-year; anything else throws, and Decide denies.
            _ => throw new InvalidOperationException("unsupported method for occurredAtUtc"),
        };

    private DisclosedSubject ApplySubject(SubjectIdentity s, MergedEpisode episode, ApplyContext context, ref ShiftCache shift, List<string> fields)
    {
        var age = episode.AgeYears;
        var home = s.HomeAddress;
        PostalAddress? address = null;
        if (home is not null)
        {
            var street = Street(_homeStreet, "subject.homeAddress.street", home.Street, context, out var block);
            address = new PostalAddress
            {
                Street = Track(fields, "subject.homeAddress.street", street ?? block),
                City = Track(fields, "subject.homeAddress.city", Text(_homeCity, "subject.homeAddress.city", home.City, context)),
                CountyFips = Track(fields, "subject.homeAddress.countyFips", Coded(_homeCounty, home.CountyFips)),
                State = Track(fields, "subject.homeAddress.state", Coded(_homeState, home.State)),
                Zip = Track(fields, "subject.homeAddress.zip", Zip(_homeZip, home.Zip)),
            };
            if (address is { Street: null, City: null, CountyFips: null, State: null, Zip: null })
            {
                address = null;
            }
        }

        return new DisclosedSubject
        {
            Pseudonym = Track(fields, "subject.pseudonym", _pseudonym == FieldMethod.Pseudonymize ? context.PersonPseudonym : null),
            FamilyName = Track(fields, "subject.familyName", Text(_familyName, "subject.familyName", s.FamilyName, context)),
            GivenName = Track(fields, "subject.givenName", Text(_givenName, "subject.givenName", s.GivenName, context)),
            BirthDate = Track(fields, "subject.birthDate", BirthDate(s.BirthDate, age, ref shift)),
            Age = Track(fields, "subject.age", Age(_ageRule, age)),
            Sex = Track(fields, "subject.sex", Coded(_sex, s.Sex)),
            Phone = Track(fields, "subject.phone", Text(_phone, "subject.phone", s.Phone, context)),
            HomeAddress = address,
        };
    }

    private DisclosedEvent ApplyEvent(MergedEpisode e, ApplyContext context, ref ShiftCache shift, List<string> fields)
    {
        return new DisclosedEvent
        {
            OccurredAt = Track(fields, "event.occurredAt", OccurredAt(e.OccurredAt, ref shift)),
            Location = Location(e.Location, context, fields),
            Substance = Keep(_substance, "event.substance", fields) ? e.Substance : default,
            NaloxoneGiven = Keep(_naloxoneGiven, "event.naloxoneGiven", fields) && e.NaloxoneGiven,
            NaloxoneDoses = Keep(_naloxoneDoses, "event.naloxoneDoses", fields) ? e.NaloxoneDoses : 0,
            NaloxoneResponse = Keep(_naloxoneResponse, "event.naloxoneResponse", fields) ? e.NaloxoneResponse : default,
            Fatal = Keep(_fatal, "event.fatal", fields) ? e.Fatal : null,
            Disposition = Keep(_disposition, "event.disposition", fields) ? e.Disposition : default,
            Impressions = Keep(_impressions, "event.impressions", fields) ? e.Impressions : [],
            DispatchReason = Track(fields, "event.dispatchReason", _dispatch == FieldMethod.Keep ? e.DispatchReason : null),
            Definitions = Keep(_definitions, "event.definitions", fields) ? e.Definitions : [],
            Narrative = Track(fields, "event.narrative", _narrative == FieldMethod.Keep ? e.Narrative : null),
        };
    }

    private EventLocation? Location(EventLocation l, ApplyContext context, List<string> fields)
    {
        if (l.Suppressed && l.Precision == LocationPrecision.Unknown)
        {
            var state = Track(fields, "event.location.state", Coded(_state, l.State));
            return new EventLocation { Suppressed = true, State = state, Precision = state is null ? LocationPrecision.Unknown : LocationPrecision.State };
        }

        var street = Street(_street, "event.location.street", l.StreetAddress, context, out var blockFromStreet);
        var block = Text(_block, "event.location.block", l.Block, context) ?? blockFromStreet;
        double? lat = null, lon = null;
        if (l.Latitude is { } la && l.Longitude is { } lo && double.IsFinite(la) && double.IsFinite(lo))
        {
            switch (_point)
            {
                case FieldMethod.Keep:
                    (lat, lon) = (la, lo);
                    break;
                case FieldMethod.Perturb:
                    var meters = Perturbation.MaxMeters(_profile.Parameters.Perturbation, _density.PeoplePerSqKm(la, lo));
                    Span<char> episode = stackalloc char[32];
                    context.EpisodeId.TryFormat(episode, out _, "N");
                    (lat, lon) = Perturbation.Displace(la, lo, meters, context.RecipientKey, episode);
                    break;
                case FieldMethod.Generalize:
                    (lat, lon) = Generalize.Grid(la, lo, _cellDegrees);
                    break;
                default:
                    break;
            }
        }

        if (lat is not null)
        {
            fields.Add("event.location.point");
        }

        var tract = _tract == FieldMethod.Keep ? l.CensusTract : null;
        var county = Coded(_county, l.CountyFips);
        if (_tract == FieldMethod.Generalize)
        {
            county ??= Generalize.TractToCounty(l.CensusTract);
        }

        var streetOut = Track(fields, "event.location.street", street);
        var blockOut = Track(fields, "event.location.block", block);
        var intersection = Track(fields, "event.location.intersection", Text(_intersection, "event.location.intersection", l.Intersection, context));
        var city = Track(fields, "event.location.city", Text(_city, "event.location.city", l.City, context));
        var stateOut = Track(fields, "event.location.state", Coded(_state, l.State));
        var zip = Track(fields, "event.location.zip", Zip(_zip, l.Zip));
        var countyOut = Track(fields, "event.location.countyFips", county);
        var tractOut = Track(fields, "event.location.censusTract", tract);
        var precision = lat is not null ? LocationPrecision.Point
            : streetOut is not null ? LocationPrecision.Address
            : intersection is not null ? LocationPrecision.Intersection
            : blockOut is not null ? LocationPrecision.Block
            : tractOut is not null ? LocationPrecision.CensusTract
            : city is not null ? LocationPrecision.Municipality
            : zip is not null ? LocationPrecision.Zip
            : countyOut is not null ? LocationPrecision.County
            : stateOut is not null ? LocationPrecision.State
            : LocationPrecision.Unknown;
        return new EventLocation
        {
            StreetAddress = streetOut,
            Block = blockOut,
            Intersection = intersection,
            City = city,
            State = stateOut,
            Zip = zip,
            CountyFips = countyOut,
            CensusTract = tractOut,
            Latitude = lat,
            Longitude = lon,
            Beat = Track(fields, "event.location.beat", Text(_beat, "event.location.beat", l.Beat, context)),
            LocationType = Track(fields, "event.location.locationType", Coded(_locationType, l.LocationType)),
            Suppressed = l.Suppressed,
            Precision = precision,
        };
    }

    private static string? Text(FieldMethod method, string field, string? value, ApplyContext context)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return method switch
        {
            FieldMethod.Keep => value,
            FieldMethod.Pseudonymize => Keyed.HmacHex(context.RecipientKey, field + "|" + value.Trim().ToUpperInvariant()),
            _ => null,
        };
    }

    private static string? Coded(FieldMethod method, string? value) =>
        method == FieldMethod.Keep && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? Street(FieldMethod method, string field, string? value, ApplyContext context, out string? block)
    {
        block = null;
        if (method == FieldMethod.Generalize)
        {
            block = Generalize.Block(value);
            return null;
        }

        return Text(method, field, value, context);
    }

    private string? Zip(FieldMethod method, string? zip) => method switch
    {
        FieldMethod.Keep => string.IsNullOrWhiteSpace(zip) ? null : zip,
        FieldMethod.Generalize => Generalize.Zip3(zip, _zip3List),
        _ => null,
    };

    private static string? Age(FieldRule rule, int? age) => rule.Method switch
    {
        M.Keep => age?.ToString(CultureInfo.InvariantCulture),
        M.Generalize when rule.To == ProfileFields.Generalizations.AgeBand => Generalize.AgeBand(age, rule.BandYears ?? 5),
        M.Generalize => Generalize.Age90Plus(age),
        _ => null,
    };

    private string? BirthDate(DateOnly? birth, int? age, ref ShiftCache shift)
    {
        if (birth is not { } date)
        {
            return null;
        }

        return _birthDate switch
        {
            FieldMethod.Keep => Dates.Iso(date),
            FieldMethod.Shift => Dates.Iso(date.AddDays(shift.Days)),

            // Safe Harbor: even the year goes when it points to an age over 89.
            FieldMethod.TruncateYear => age is > 89 ? null : Dates.Year(date.Year),
            _ => null,
        };
    }

    private string? OccurredAt(DateTimeOffset at, ref ShiftCache shift) => _occurredAt switch
    {
        FieldMethod.Keep => Dates.Iso(at),
        FieldMethod.Shift => Dates.Iso(at.AddDays(shift.Days)),
        FieldMethod.TruncateDate => Dates.Iso(DateOnly.FromDateTime(at.DateTime)),
        FieldMethod.TruncateYear => Dates.Year(at.Year),
        _ => null,
    };

    private static bool Keep(FieldMethod method, string field, List<string> fields)
    {
        var keep = method == FieldMethod.Keep;
        if (keep)
        {
            fields.Add(field);
        }

        return keep;
    }

    private static string? Track(List<string> fields, string field, string? value)
    {
        if (value is not null)
        {
            fields.Add(field);
        }

        return value;
    }

    /// <summary>The person's date shift for this recipient: one HMAC per decision, however many dates are shifted.</summary>
    private struct ShiftCache(ApplyContext context, int maxDays)
    {
        private int? _days;

        public int Days => _days ??= Compute(context, maxDays);

        /// <summary>Keyed by the person's hub token, else by <c>episode|</c> + the episode id (as <see cref="Dates.ShiftDays"/>).</summary>
        private static int Compute(ApplyContext context, int maxDays)
        {
            if (context.HasHubToken)
            {
                // Fail closed: a person with a token is never shifted by the episode scope (Decide denies on this).
                var token = context.HubToken ?? throw new InvalidOperationException("hub token text not computed for a shifting profile");
                return Dates.ShiftDays(context.RecipientKey, token, maxDays);
            }

            Span<char> scope = stackalloc char[8 + 32];
            "episode|".CopyTo(scope);
            context.EpisodeId.TryFormat(scope[8..], out _, "N");
            return Keyed.SignedOffset(context.RecipientKey, "date-shift|", scope, maxDays);
        }
    }
}
