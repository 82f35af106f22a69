using System.Globalization;
using Hub.Contracts.Messages;
using Hub.Contracts.Model;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using M = Hub.Deidentification.Profiles.ProfileFields.Methods;

namespace Hub.Deidentification.Disclosure;

/// <summary>What keyed methods need: the recipient's key and the scopes the values are stable for.</summary>
internal readonly record struct ApplyContext(byte[] RecipientKey, string PersonScope, string EpisodeScope, string? PersonPseudonym);

/// <summary>What a profile made of one episode: the header fields it governs, the subject, the event, and the fields with a value.</summary>
internal readonly record struct AppliedEpisode(
    DateTimeOffset OccurredAtUtc, IReadOnlyList<string> SourceAgencies, DisclosedSubject Subject, DisclosedEvent Event, List<string> Fields);

/// <summary>Applies a profile, field by field, to a merged episode.</summary>
internal sealed class ProfileApplier(RestrictedZip3List zip3List, IPopulationDensity density)
{
    public AppliedEpisode Apply(DisclosureProfile profile, MergedEpisode episode, ApplyContext context, DateTimeOffset disclosedAt)
    {
        var fields = new List<string>(ProfileFields.All.Count);
        var occurredAtUtc = HeaderTime(profile, episode.OccurredAt, disclosedAt);
        fields.Add(ProfileFields.HeaderTime);
        IReadOnlyList<string> agencies = profile.RuleFor(ProfileFields.SourceAgencies).Method == M.Keep ? episode.SourceAgencies : [];
        if (agencies.Count > 0)
        {
            fields.Add(ProfileFields.SourceAgencies);
        }

        var subject = episode.Subject is { } s ? ApplySubject(profile, s, episode, context, fields) : new DisclosedSubject();
        var ev = ApplyEvent(profile, episode, context, fields);
        return new AppliedEpisode(occurredAtUtc, agencies, subject, ev, fields);
    }

    /// <summary>
    /// The header time. Kept, it is when the hub made the notification (minutes after the event). Truncated, it is
    /// January 1 of the event's year at 00:00Z: the year is all Safe Harbor allows, and it is the same year
    /// <c>event.occurredAt: truncate-year</c> shows. The ledger keeps the real disclosure time either way.
    /// </summary>
    private static DateTimeOffset HeaderTime(DisclosureProfile profile, DateTimeOffset eventAt, DateTimeOffset disclosedAt) =>
        profile.RuleFor(ProfileFields.HeaderTime).Method switch
        {
            M.Keep => disclosedAt.ToUniversalTime(),
            M.TruncateYear => new DateTimeOffset(eventAt.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),

            // Fail closed: the validator allows only keep and truncate-year; anything else throws, and Decide denies.
            _ => throw new InvalidOperationException("unsupported method for occurredAtUtc"),
        };

    private DisclosedSubject ApplySubject(DisclosureProfile profile, SubjectIdentity s, MergedEpisode episode, ApplyContext context, List<string> fields)
    {
        var age = episode.AgeYears;
        var home = s.HomeAddress;
        PostalAddress? address = null;
        if (home is not null)
        {
            var street = Street(profile, "subject.homeAddress.street", home.Street, context, out var block);
            address = new PostalAddress
            {
                Street = Track(fields, "subject.homeAddress.street", street ?? block),
                City = Track(fields, "subject.homeAddress.city", Text(profile, "subject.homeAddress.city", home.City, context)),
                CountyFips = Track(fields, "subject.homeAddress.countyFips", Coded(profile, "subject.homeAddress.countyFips", home.CountyFips)),
                State = Track(fields, "subject.homeAddress.state", Coded(profile, "subject.homeAddress.state", home.State)),
                Zip = Track(fields, "subject.homeAddress.zip", Zip(profile, "subject.homeAddress.zip", home.Zip)),
            };
            if (address is { Street: null, City: null, CountyFips: null, State: null, Zip: null })
            {
                address = null;
            }
        }

        return new DisclosedSubject
        {
            Pseudonym = Track(fields, "subject.pseudonym", profile.RuleFor("subject.pseudonym").Method == M.Pseudonymize ? context.PersonPseudonym : null),
            FamilyName = Track(fields, "subject.familyName", Text(profile, "subject.familyName", s.FamilyName, context)),
            GivenName = Track(fields, "subject.givenName", Text(profile, "subject.givenName", s.GivenName, context)),
            BirthDate = Track(fields, "subject.birthDate", BirthDate(profile, s.BirthDate, age, context)),
            Age = Track(fields, "subject.age", Age(profile.RuleFor("subject.age"), age)),
            Sex = Track(fields, "subject.sex", Coded(profile, "subject.sex", s.Sex)),
            Phone = Track(fields, "subject.phone", Text(profile, "subject.phone", s.Phone, context)),
            HomeAddress = address,
        };
    }

    private DisclosedEvent ApplyEvent(DisclosureProfile profile, MergedEpisode e, ApplyContext context, List<string> fields)
    {
        return new DisclosedEvent
        {
            OccurredAt = Track(fields, "event.occurredAt", OccurredAt(profile, e.OccurredAt, context)),
            Location = Location(profile, e.Location, context, fields),
            Substance = Keep(profile, "event.substance", fields) ? e.Substance : default,
            NaloxoneGiven = Keep(profile, "event.naloxoneGiven", fields) && e.NaloxoneGiven,
            NaloxoneDoses = Keep(profile, "event.naloxoneDoses", fields) ? e.NaloxoneDoses : 0,
            NaloxoneResponse = Keep(profile, "event.naloxoneResponse", fields) ? e.NaloxoneResponse : default,
            Fatal = Keep(profile, "event.fatal", fields) ? e.Fatal : null,
            Disposition = Keep(profile, "event.disposition", fields) ? e.Disposition : default,
            Impressions = Keep(profile, "event.impressions", fields) ? e.Impressions : [],
            DispatchReason = Track(fields, "event.dispatchReason", profile.RuleFor("event.dispatchReason").Method == M.Keep ? e.DispatchReason : null),
            Definitions = Keep(profile, "event.definitions", fields) ? e.Definitions : [],
            Narrative = Track(fields, "event.narrative", profile.RuleFor("event.narrative").Method == M.Keep ? e.Narrative : null),
        };
    }

    private EventLocation? Location(DisclosureProfile profile, EventLocation l, ApplyContext context, List<string> fields)
    {
        if (l.Suppressed && l.Precision == LocationPrecision.Unknown)
        {
            var state = Track(fields, "event.location.state", Coded(profile, "event.location.state", l.State));
            return new EventLocation { Suppressed = true, State = state, Precision = state is null ? LocationPrecision.Unknown : LocationPrecision.State };
        }

        var street = Street(profile, "event.location.street", l.StreetAddress, context, out var blockFromStreet);
        var block = Text(profile, "event.location.block", l.Block, context) ?? blockFromStreet;
        double? lat = null, lon = null;
        var pointRule = profile.RuleFor("event.location.point");
        if (l.Latitude is { } la && l.Longitude is { } lo && double.IsFinite(la) && double.IsFinite(lo))
        {
            switch (pointRule.Method)
            {
                case M.Keep:
                    (lat, lon) = (la, lo);
                    break;
                case M.Perturb:
                    var meters = Perturbation.MaxMeters(profile.Parameters.Perturbation, density.PeoplePerSqKm(la, lo));
                    (lat, lon) = Perturbation.Displace(la, lo, meters, context.RecipientKey, context.EpisodeScope);
                    break;
                case M.Generalize:
                    (lat, lon) = Generalize.Grid(la, lo, pointRule.CellDegrees ?? 0.01);
                    break;
                default:
                    break;
            }
        }

        if (lat is not null)
        {
            fields.Add("event.location.point");
        }

        var tractRule = profile.RuleFor("event.location.censusTract");
        var tract = tractRule.Method == M.Keep ? l.CensusTract : null;
        var county = Coded(profile, "event.location.countyFips", l.CountyFips);
        if (tractRule.Method == M.Generalize)
        {
            county ??= Generalize.TractToCounty(l.CensusTract);
        }

        var location = new EventLocation
        {
            StreetAddress = Track(fields, "event.location.street", street),
            Block = Track(fields, "event.location.block", block),
            Intersection = Track(fields, "event.location.intersection", Text(profile, "event.location.intersection", l.Intersection, context)),
            City = Track(fields, "event.location.city", Text(profile, "event.location.city", l.City, context)),
            State = Track(fields, "event.location.state", Coded(profile, "event.location.state", l.State)),
            Zip = Track(fields, "event.location.zip", Zip(profile, "event.location.zip", l.Zip)),
            CountyFips = Track(fields, "event.location.countyFips", county),
            CensusTract = Track(fields, "event.location.censusTract", tract),
            Latitude = lat,
            Longitude = lon,
            Beat = Track(fields, "event.location.beat", Text(profile, "event.location.beat", l.Beat, context)),
            LocationType = Track(fields, "event.location.locationType", Coded(profile, "event.location.locationType", l.LocationType)),
            Suppressed = l.Suppressed,
        };

        return location with { Precision = PrecisionOf(location) };
    }

    private static LocationPrecision PrecisionOf(EventLocation l) => l switch
    {
        { Latitude: not null } => LocationPrecision.Point,
        { StreetAddress: not null } => LocationPrecision.Address,
        { Intersection: not null } => LocationPrecision.Intersection,
        { Block: not null } => LocationPrecision.Block,
        { CensusTract: not null } => LocationPrecision.CensusTract,
        { City: not null } => LocationPrecision.Municipality,
        { Zip: not null } => LocationPrecision.Zip,
        { CountyFips: not null } => LocationPrecision.County,
        { State: not null } => LocationPrecision.State,
        _ => LocationPrecision.Unknown,
    };

    private static string? Text(DisclosureProfile profile, string field, string? value, ApplyContext context)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return profile.RuleFor(field).Method switch
        {
            M.Keep => value,
            M.Pseudonymize => Keyed.HmacHex(context.RecipientKey, field + "|" + value.Trim().ToUpperInvariant()),
            _ => null,
        };
    }

    private static string? Coded(DisclosureProfile profile, string field, string? value) =>
        profile.RuleFor(field).Method == M.Keep && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? Street(DisclosureProfile profile, string field, string? value, ApplyContext context, out string? block)
    {
        block = null;
        var rule = profile.RuleFor(field);
        if (rule.Method == M.Generalize)
        {
            block = Generalize.Block(value);
            return null;
        }

        return Text(profile, field, value, context);
    }

    private string? Zip(DisclosureProfile profile, string field, string? zip)
    {
        var rule = profile.RuleFor(field);
        return rule.Method switch
        {
            M.Keep => string.IsNullOrWhiteSpace(zip) ? null : zip,
            M.Generalize => Generalize.Zip3(zip, zip3List),
            _ => null,
        };
    }

    private static string? Age(FieldRule rule, int? age) => rule.Method switch
    {
        M.Keep => age?.ToString(CultureInfo.InvariantCulture),
        M.Generalize when rule.To == ProfileFields.Generalizations.AgeBand => Generalize.AgeBand(age, rule.BandYears ?? 5),
        M.Generalize => Generalize.Age90Plus(age),
        _ => null,
    };

    private static string? BirthDate(DisclosureProfile profile, DateOnly? birth, int? age, ApplyContext context)
    {
        if (birth is not { } date)
        {
            return null;
        }

        var rule = profile.RuleFor("subject.birthDate");
        return rule.Method switch
        {
            M.Keep => Dates.Iso(date),
            M.Shift => Dates.Iso(date.AddDays(Dates.ShiftDays(context.RecipientKey, context.PersonScope, profile.Parameters.DateShiftMaxDays ?? 1))),

            // Safe Harbor: even the year goes when it points to an age over 89.
            M.TruncateYear => age is > 89 ? null : Dates.Year(date.Year),
            _ => null,
        };
    }

    private static string? OccurredAt(DisclosureProfile profile, DateTimeOffset at, ApplyContext context) => profile.RuleFor("event.occurredAt").Method switch
    {
        M.Keep => Dates.Iso(at),
        M.Shift => Dates.Iso(at.AddDays(Dates.ShiftDays(context.RecipientKey, context.PersonScope, profile.Parameters.DateShiftMaxDays ?? 1))),
        M.TruncateDate => Dates.Iso(DateOnly.FromDateTime(at.DateTime)),
        M.TruncateYear => Dates.Year(at.Year),
        _ => null,
    };

    private static bool Keep(DisclosureProfile profile, string field, List<string> fields)
    {
        var keep = profile.RuleFor(field).Method == M.Keep;
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
}
