using Hub.Contracts.Model;
using Hub.Routing.Jurisdictions;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Recipients;

/// <summary>
/// Routes an event to the recipients that cover its place, want its kind, and are on duty (or to their after-hours
/// fallback). Built once from the validated recipient table; immutable afterwards, so it is safe to share across threads.
/// </summary>
/// <remarks>
/// Place: a recipient matches when any part of its jurisdiction does. The event's point is tested against polygons
/// (edges count as inside), its city + state against municipalities, its ZIP against ZIP codes and its county FIPS
/// against counties. When several parts match, the most precise one is reported (polygon, then municipality, ZIP,
/// county). An event known only by county or ZIP matches only recipients listing that county or ZIP, and the match
/// says so (<see cref="RecipientMatch.MatchedBy"/> and <see cref="RecipientMatch.Precision"/>); it never matches a
/// polygon-only recipient, because the hub cannot know whether the event is inside.
/// </remarks>
public sealed class RecipientMatcher : IRecipientMatcher
{
    private const string Polygon = "polygon";
    private const string Municipality = "municipality";
    private const string Zip = "zip";
    private const string County = "county";
    private const string AfterHoursPrefix = "after-hours-fallback:";

    private readonly Compiled[] _recipients;
    private readonly Dictionary<string, List<int>> _byCounty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byZip = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byMunicipality = new(StringComparer.Ordinal);
    private readonly PolygonIndex<int> _polygons = new();

    /// <summary>Creates the matcher from bound options (validated at start by <see cref="RecipientsOptionsValidator"/>).</summary>
    public RecipientMatcher(IOptions<RecipientsOptions> options)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates the matcher from a recipient table; throws <see cref="OptionsValidationException"/> if it is invalid.</summary>
    public RecipientMatcher(RecipientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = RecipientsOptionsValidator.Collect(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(RecipientsOptions.Section, typeof(RecipientsOptions), errors);
        }

        var ids = options.Recipients.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        _recipients = new Compiled[options.Recipients.Count];
        for (var i = 0; i < options.Recipients.Count; i++)
        {
            var r = options.Recipients[i];
            _recipients[i] = new Compiled(r, r.Hours is { } h ? TimeZoneInfo.FindSystemTimeZoneById(h.TimeZone) : null,
                r.Hours?.AfterHoursRecipientId is { } fallback ? ids[fallback] : -1);
            foreach (var fips in r.Jurisdiction.CountyFips)
            {
                Add(_byCounty, fips, i);
            }

            foreach (var zip in r.Jurisdiction.ZipCodes)
            {
                Add(_byZip, zip, i);
            }

            foreach (var municipality in r.Jurisdiction.Municipalities)
            {
                Add(_byMunicipality, Places.MunicipalityKey(municipality.Name, municipality.State)!, i);
            }

            if (!string.IsNullOrWhiteSpace(r.Jurisdiction.PolygonFile))
            {
                foreach (var area in GeoJsonReader.ReadFile(r.Jurisdiction.PolygonFile).Areas)
                {
                    _polygons.Add(area.Geometry, i);
                }
            }
        }

        _polygons.Build();
    }

    /// <summary>Number of polygon parts indexed (for diagnostics and benchmarks).</summary>
    public int PolygonCount => _polygons.Count;

    /// <inheritdoc />
    public IReadOnlyList<RecipientMatch> Match(OverdoseEvent overdoseEvent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(overdoseEvent);
        var placeMatches = MatchPlace(overdoseEvent.Location);
        if (placeMatches.Count == 0)
        {
            return [];
        }

        var results = new List<RecipientMatch>(placeMatches.Count);
        var direct = new List<(int Index, PlaceMatch Place)>(placeMatches.Count);
        foreach (var (index, place) in placeMatches.OrderBy(p => p.Key))
        {
            if (Accepts(_recipients[index].Options.Filters, overdoseEvent))
            {
                direct.Add((index, place));
            }
        }

        // Direct matches first, so a fallback that is itself a direct match is not listed twice.
        foreach (var (index, place) in direct)
        {
            if (IsOnDuty(_recipients[index], at) || _recipients[index].AfterHoursIndex < 0)
            {
                results.Add(new RecipientMatch(_recipients[index].Options.Id, place.MatchedBy, place.Precision));
            }
        }

        foreach (var (index, place) in direct)
        {
            if (IsOnDuty(_recipients[index], at) || _recipients[index].AfterHoursIndex < 0)
            {
                continue;
            }

            var target = ResolveFallback(index, at);
            if (target >= 0 && !results.Any(m => m.RecipientId == _recipients[target].Options.Id))
            {
                results.Add(new RecipientMatch(_recipients[target].Options.Id, AfterHoursPrefix + _recipients[index].Options.Id, place.Precision));
            }
        }

        return results;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> MatchSpike(string jurisdictionId)
    {
        ArgumentNullException.ThrowIfNull(jurisdictionId);
        return _byCounty.TryGetValue(jurisdictionId, out var list)
            ? [.. list.Where(i => _recipients[i].Options.ReceivesSpikeAlerts).Select(i => _recipients[i].Options.Id)]
            : [];
    }

    private Dictionary<int, PlaceMatch> MatchPlace(EventLocation location)
    {
        var matches = new Dictionary<int, PlaceMatch>();
        if (location.Latitude is { } lat && location.Longitude is { } lon && _polygons.Count > 0)
        {
            var hits = new List<int>(2);
            _polygons.Query(lon, lat, hits);
            var precision = location.Precision >= LocationPrecision.CensusTract ? location.Precision : LocationPrecision.Point;
            foreach (var hit in hits)
            {
                matches.TryAdd(hit, new PlaceMatch(Polygon, precision));
            }
        }

        AddMatches(matches, _byMunicipality, Places.MunicipalityKey(location.City, location.State), Municipality, LocationPrecision.Municipality);
        AddMatches(matches, _byZip, Places.Zip5(location.Zip), Zip, LocationPrecision.Zip);
        AddMatches(matches, _byCounty, Places.CountyFips(location.CountyFips), County, LocationPrecision.County);
        return matches;
    }

    private static void AddMatches(Dictionary<int, PlaceMatch> matches, Dictionary<string, List<int>> index, string? key, string matchedBy, LocationPrecision precision)
    {
        if (key is null || !index.TryGetValue(key, out var list))
        {
            return;
        }

        foreach (var i in list)
        {
            // Earlier (more precise) kinds were added first and win.
            matches.TryAdd(i, new PlaceMatch(matchedBy, precision));
        }
    }

    private int ResolveFallback(int index, DateTimeOffset at)
    {
        var visited = new HashSet<int> { index };
        var current = _recipients[index].AfterHoursIndex;
        while (current >= 0 && visited.Add(current))
        {
            var next = _recipients[current].AfterHoursIndex;
            if (IsOnDuty(_recipients[current], at) || next < 0)
            {
                return current;
            }

            current = next;
        }

        // A cycle of recipients all off duty: keep the event with the first fallback (it queues until read).
        return _recipients[index].AfterHoursIndex;
    }

    /// <summary>True when <paramref name="at"/> falls in the recipient's hours (or it has none).</summary>
    internal static bool IsOnDuty(HoursOptions? hours, TimeZoneInfo? zone, DateTimeOffset at)
    {
        if (hours is null || zone is null)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var day = local.DayOfWeek;
        if (hours.Start < hours.End)
        {
            return (hours.Days.Count == 0 || hours.Days.Contains(day)) && time >= hours.Start && time < hours.End;
        }

        // Overnight shift: the part after midnight belongs to the shift that started the previous day.
        if (time >= hours.Start)
        {
            return hours.Days.Count == 0 || hours.Days.Contains(day);
        }

        if (time < hours.End)
        {
            var previous = (DayOfWeek)(((int)day + 6) % 7);
            return hours.Days.Count == 0 || hours.Days.Contains(previous);
        }

        return false;
    }

    private static bool IsOnDuty(Compiled recipient, DateTimeOffset at) => IsOnDuty(recipient.Options.Hours, recipient.Zone, at);

    /// <summary>True when the event passes every filter of the recipient.</summary>
    internal static bool Accepts(RecipientFilterOptions filters, OverdoseEvent e)
    {
        if (filters.SourceKinds.Count > 0 && !filters.SourceKinds.Contains(e.SourceKind))
        {
            return false;
        }

        if (filters.Substances.Count > 0 && !filters.Substances.Contains(e.Clinical.Substance))
        {
            return false;
        }

        if (filters.Dispositions.Count > 0 && !filters.Dispositions.Contains(e.Clinical.Disposition))
        {
            return false;
        }

        var fatal = e.Clinical.Fatal == true || e.Clinical.Disposition == DispositionKind.Died;
        if ((filters.Fatal == FatalFilter.Fatal && !fatal) || (filters.Fatal == FatalFilter.NonFatal && fatal))
        {
            return false;
        }

        return filters.Minors != MinorsPolicy.Exclude || IsMinor(e) != true;
    }

    /// <summary>True under 18, false 18 or over, null when the age cannot be told.</summary>
    internal static bool? IsMinor(OverdoseEvent e)
    {
        var subject = e.Subject;
        if (subject is null)
        {
            return null;
        }

        if (subject.AgeYears is { } years)
        {
            return years < 18;
        }

        if (subject.BirthDate is { } birth)
        {
            var on = DateOnly.FromDateTime(e.OccurredAt.Date);
            var age = on.Year - birth.Year - (on < birth.AddYears(on.Year - birth.Year) ? 1 : 0);
            return age < 18;
        }

        if (subject.AgeAsRecorded is { } recorded)
        {
            var text = recorded.ToUpperInvariant();
            if (text.Contains("MONTH", StringComparison.Ordinal) || text.Contains("WEEK", StringComparison.Ordinal)
                || text.Contains("DAY", StringComparison.Ordinal) || text.Contains("HOUR", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, List<int>> index, string key, int recipient)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        if (!list.Contains(recipient))
        {
            list.Add(recipient);
        }
    }

    private sealed record Compiled(RecipientOptions Options, TimeZoneInfo? Zone, int AfterHoursIndex);

    private readonly record struct PlaceMatch(string MatchedBy, LocationPrecision Precision);
}
