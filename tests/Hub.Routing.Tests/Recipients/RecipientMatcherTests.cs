using Hub.Contracts.Model;
using Hub.Routing.Recipients;
using static Hub.Routing.Tests.TestEvents;

namespace Hub.Routing.Tests.Recipients;

public sealed class RecipientMatcherTests
{
    private static RecipientOptions Recipient(string id, Action<RecipientOptions>? configure = null)
    {
        var r = new RecipientOptions { Id = id, Name = "Recipient " + id, Kind = RecipientKinds.OutreachTeam };
        configure?.Invoke(r);
        return r;
    }

    private static RecipientMatcher Matcher(params RecipientOptions[] recipients)
    {
        var options = new RecipientsOptions();
        foreach (var r in recipients)
        {
            options.Recipients.Add(r);
        }

        return new RecipientMatcher(options);
    }

    private static RecipientOptions West(string id = "west") =>
        Recipient(id, r => r.Jurisdiction.PolygonFile = TestDataPath("Jurisdictions", "square-with-hole.geojson"));

    private static RecipientOptions East(string id = "east") =>
        Recipient(id, r => r.Jurisdiction.PolygonFile = TestDataPath("Jurisdictions", "east-collection.geojson"));

    [Fact]
    public void Given_an_event_located_only_by_county_When_matched_Then_county_recipients_match_at_county_precision_and_polygon_ones_do_not()
    {
        var matcher = Matcher(Recipient("county", r => r.Jurisdiction.CountyFips.Add("42091")), West());
        var e = Event(location: new EventLocation { Precision = LocationPrecision.County, CountyFips = "42091" });

        var match = Assert.Single(matcher.Match(e, T0));

        Assert.Equal(new RecipientMatch("county", "county", LocationPrecision.County), match);
    }

    [Fact]
    public void Given_an_event_located_only_by_zip_plus_four_When_matched_Then_it_matches_the_zip_at_zip_precision()
    {
        var matcher = Matcher(Recipient("zip", r => r.Jurisdiction.ZipCodes.Add("19401")), Recipient("other", r => r.Jurisdiction.ZipCodes.Add("19402")));
        var e = Event(location: new EventLocation { Precision = LocationPrecision.Zip, Zip = "19401-1234" });

        Assert.Equal([new RecipientMatch("zip", "zip", LocationPrecision.Zip)], matcher.Match(e, T0));
    }

    [Fact]
    public void Given_a_municipality_written_differently_When_matched_Then_it_matches_by_normalized_name_and_state()
    {
        var matcher = Matcher(Recipient("town", r => r.Jurisdiction.Municipalities.Add(new MunicipalityOptions { Name = "Norristown", State = "PA" })));
        var same = Event(location: new EventLocation { Precision = LocationPrecision.Municipality, City = "  NORRISTOWN ", State = "42" });
        var otherState = Event(location: new EventLocation { Precision = LocationPrecision.Municipality, City = "Norristown", State = "NJ" });

        Assert.Equal([new RecipientMatch("town", "municipality", LocationPrecision.Municipality)], matcher.Match(same, T0));
        Assert.Empty(matcher.Match(otherState, T0));
    }

    [Theory]
    [InlineData(40.02, -75.18, "west")] // inside
    [InlineData(40.02, -75.05, "east")] // inside the other
    [InlineData(40.05, -75.15, "")] // in the hole of west
    [InlineData(40.04, -75.15, "west")] // on the edge of the hole: covered
    [InlineData(40.0, -75.2, "west")] // on a vertex
    [InlineData(40.0, -75.15, "west")] // on the outer edge
    [InlineData(40.05, -75.1, "west,east")] // on the shared border: both
    [InlineData(40.2, -75.15, "")] // outside both
    public void Given_a_point_When_matched_against_polygons_Then_edges_are_inside_and_holes_outside(double lat, double lon, string expected)
    {
        var matcher = Matcher(West(), East());

        var matches = matcher.Match(Event(location: Point(lat, lon)), T0);

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), matches.Select(m => m.RecipientId));
        Assert.All(matches, m => Assert.Equal(("polygon", LocationPrecision.Point), (m.MatchedBy, m.Precision)));
    }

    [Fact]
    public void Given_a_multipolygon_recipient_When_a_point_falls_in_either_part_Then_it_matches()
    {
        var matcher = Matcher(Recipient("islands", r => r.Jurisdiction.PolygonFile = TestDataPath("Jurisdictions", "islands-multipolygon.geojson")));

        Assert.Single(matcher.Match(Event(location: Point(39.55, -74.45)), T0));
        Assert.Single(matcher.Match(Event(location: Point(39.55, -74.15)), T0));
        Assert.Empty(matcher.Match(Event(location: Point(39.55, -74.3)), T0));
    }

    [Fact]
    public void Given_a_recipient_with_a_county_and_a_polygon_When_both_match_Then_the_more_precise_polygon_is_reported_with_the_event_precision()
    {
        var matcher = Matcher(Recipient("both", r =>
        {
            r.Jurisdiction.CountyFips.Add("42091");
            r.Jurisdiction.PolygonFile = TestDataPath("Jurisdictions", "square-with-hole.geojson");
        }));
        var e = Event(location: new EventLocation { Precision = LocationPrecision.Address, Latitude = 40.02, Longitude = -75.18, CountyFips = "42091" });

        Assert.Equal([new RecipientMatch("both", "polygon", LocationPrecision.Address)], matcher.Match(e, T0));
    }

    [Fact]
    public void Given_a_point_outside_the_polygon_but_in_a_listed_county_When_matched_Then_the_county_still_matches()
    {
        var matcher = Matcher(Recipient("both", r =>
        {
            r.Jurisdiction.CountyFips.Add("42091");
            r.Jurisdiction.PolygonFile = TestDataPath("Jurisdictions", "square-with-hole.geojson");
        }));
        var e = Event(location: new EventLocation { Precision = LocationPrecision.Point, Latitude = 41, Longitude = -75.18, CountyFips = "42091" });

        Assert.Equal([new RecipientMatch("both", "county", LocationPrecision.County)], matcher.Match(e, T0));
    }

    private static RecipientOptions DayTeam(string? fallback) => Recipient("day", r =>
    {
        r.Jurisdiction.CountyFips.Add("42091");
        r.Hours = new HoursOptions { TimeZone = "America/New_York", Start = new TimeOnly(8, 0), End = new TimeOnly(17, 0), AfterHoursRecipientId = fallback };
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            r.Hours.Days.Add(day);
        }
    });

    private static RecipientOptions Night() => Recipient("night", r => r.Jurisdiction.CountyFips.Add("36061"));

    [Theory]
    [InlineData("2026-03-02T09:00:00-05:00", "day", "county")] // Monday morning
    [InlineData("2026-03-02T08:00:00-05:00", "day", "county")] // start is inclusive
    [InlineData("2026-03-02T17:00:00-05:00", "night", "after-hours-fallback:day")] // end is exclusive
    [InlineData("2026-03-02T07:59:59-05:00", "night", "after-hours-fallback:day")]
    [InlineData("2026-03-07T10:00:00-05:00", "night", "after-hours-fallback:day")] // Saturday
    [InlineData("2026-03-02T15:30:00+00:00", "day", "county")] // 10:30 in New York given in UTC
    public void Given_hours_When_matched_at_a_time_Then_on_duty_goes_to_the_team_and_off_duty_to_the_fallback(string at, string recipient, string matchedBy)
    {
        var matcher = Matcher(DayTeam("night"), Night());
        var e = Event(location: new EventLocation { Precision = LocationPrecision.County, CountyFips = "42091" });

        var match = Assert.Single(matcher.Match(e, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal((recipient, matchedBy, LocationPrecision.County), (match.RecipientId, match.MatchedBy, match.Precision));
    }

    [Fact]
    public void Given_off_duty_without_a_fallback_When_matched_Then_the_recipient_keeps_the_event()
    {
        var matcher = Matcher(DayTeam(null));
        var e = Event(location: new EventLocation { CountyFips = "42091" });

        Assert.Equal("day", Assert.Single(matcher.Match(e, new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero))).RecipientId);
    }

    [Fact]
    public void Given_a_fallback_that_also_covers_the_place_When_off_duty_Then_it_is_listed_once()
    {
        var night = Recipient("night", r => r.Jurisdiction.CountyFips.Add("42091"));
        var matcher = Matcher(DayTeam("night"), night);
        var e = Event(location: new EventLocation { CountyFips = "42091" });

        var match = Assert.Single(matcher.Match(e, new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal(("night", "county"), (match.RecipientId, match.MatchedBy));
    }

    [Theory]
    [InlineData(22, 0, true)] // Friday 22:00, shift started Friday
    [InlineData(2, 1, true)] // Saturday 02:00 belongs to Friday's shift
    [InlineData(2, 0, false)] // Friday 02:00 belongs to Thursday's shift, not listed
    [InlineData(12, 0, false)]
    public void Given_an_overnight_shift_When_checked_Then_hours_after_midnight_belong_to_the_previous_day(int hour, int dayOffset, bool expected)
    {
        var hours = new HoursOptions { TimeZone = "UTC", Start = new TimeOnly(20, 0), End = new TimeOnly(6, 0) };
        hours.Days.Add(DayOfWeek.Friday);
        var friday = new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, RecipientMatcher.IsOnDuty(hours, TimeZoneInfo.Utc, friday.AddDays(dayOffset).AddHours(hour)));
    }

    public static TheoryData<string, Action<RecipientFilterOptions>, OverdoseEvent, bool> Filters() => new()
    {
        { "source kind kept", f => f.SourceKinds.Add(SourceKind.Ems), Event(), true },
        { "source kind dropped", f => f.SourceKinds.Add(SourceKind.EmergencyDepartment), Event(), false },
        { "substance kept", f => f.Substances.Add(SubstanceClass.Opioid), Event(), true },
        { "substance dropped", f => f.Substances.Add(SubstanceClass.Stimulant), Event(), false },
        { "fatal only drops survivors", f => f.Fatal = FatalFilter.Fatal, Event(), false },
        { "fatal only keeps deaths by disposition", f => f.Fatal = FatalFilter.Fatal, Event(clinical: new ClinicalFacts { Disposition = DispositionKind.Died }), true },
        { "non-fatal drops deaths", f => f.Fatal = FatalFilter.NonFatal, Event(clinical: new ClinicalFacts { Fatal = true }), false },
        { "non-fatal keeps unknown outcome", f => f.Fatal = FatalFilter.NonFatal, Event(clinical: new ClinicalFacts()), true },
        { "minors excluded by age", f => f.Minors = MinorsPolicy.Exclude, Event(subject: new SubjectIdentity { AgeYears = 16 }), false },
        { "adults kept", f => f.Minors = MinorsPolicy.Exclude, Event(subject: new SubjectIdentity { AgeYears = 18 }), true },
        { "minors excluded by birth date", f => f.Minors = MinorsPolicy.Exclude, Event(subject: new SubjectIdentity { BirthDate = new DateOnly(2008, 3, 3) }), false },
        { "18th birthday is adult", f => f.Minors = MinorsPolicy.Exclude, Event(subject: new SubjectIdentity { BirthDate = new DateOnly(2008, 3, 2) }), true },
        { "infant age in months is a minor", f => f.Minors = MinorsPolicy.Exclude, Event(subject: new SubjectIdentity { AgeAsRecorded = "7 months" }), false },
        { "unknown age kept", f => f.Minors = MinorsPolicy.Exclude, Event(kind: SourceKind.Police), true },
        { "minors included", f => f.Minors = MinorsPolicy.Include, Event(subject: new SubjectIdentity { AgeYears = 15 }), true },
        { "refused transport kept", f => { f.Dispositions.Add(DispositionKind.RefusedTransport); f.Dispositions.Add(DispositionKind.NoTransport); }, Event(clinical: new ClinicalFacts { Disposition = DispositionKind.RefusedTransport }), true },
        { "transported dropped", f => { f.Dispositions.Add(DispositionKind.RefusedTransport); f.Dispositions.Add(DispositionKind.NoTransport); }, Event(), false },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Given_a_filter_When_an_event_is_matched_Then_it_is_kept_or_dropped(string because, Action<RecipientFilterOptions> configure, OverdoseEvent e, bool kept)
    {
        var recipient = Recipient("filtered", r => r.Jurisdiction.CountyFips.Add("42091"));
        configure(recipient.Filters);
        var matcher = Matcher(recipient);

        var located = e with { Location = new EventLocation { CountyFips = "42091" } };

        Assert.True(kept == (matcher.Match(located, T0).Count == 1), because);
    }

    [Fact]
    public void Given_health_departments_When_a_county_spikes_Then_only_spike_receivers_of_that_county_are_returned()
    {
        var matcher = Matcher(
            Recipient("hd", r => { r.Kind = RecipientKinds.HealthDepartment; r.ReceivesSpikeAlerts = true; r.Jurisdiction.CountyFips.Add("42091"); }),
            Recipient("team", r => r.Jurisdiction.CountyFips.Add("42091")),
            Recipient("other-hd", r => { r.ReceivesSpikeAlerts = true; r.Jurisdiction.CountyFips.Add("42017"); }));

        Assert.Equal(["hd"], matcher.MatchSpike("42091"));
    }
}
