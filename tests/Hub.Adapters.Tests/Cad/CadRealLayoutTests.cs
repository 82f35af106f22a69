using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using Hub.Testing;
using static Hub.Adapters.Tests.Cad.CadTestSupport;

namespace Hub.Adapters.Tests.Cad;

/// <summary>The three shipped profiles against the real open-data exports in ../shared/external.</summary>
public sealed class CadRealLayoutTests
{
    public static TheoryData<string, string, string, string, string> Layouts => new()
    {
        // profile, folder, file, call-type column, zone
        { "cad-sdpd.json", "cad-sandiego-pd-2023", "pd_calls_for_service_2023_datasd.first6000.csv", "call_type", "America/Los_Angeles" },
        { "cad-montgomery-pa.json", "cad-montgomery-county-pa-911", "911.first5000.csv", "title", "America/New_York" },
        { "cad-seattle-spd.json", "cad-seattle-spd-call-data-sample", "db_call_data_2018-2023.csv", "Initial Call Type", "America/Los_Angeles" },
    };

    [ExternalDataTheory]
    [MemberData(nameof(Layouts))]
    public async Task Given_real_export_When_read_with_its_profile_Then_every_row_has_one_outcome_and_overdoses_match_the_call_type_list(
        string profile, string folder, string file, string callTypeColumn, string zone)
    {
        var path = ExternalData.PathOf(folder, file);
        var rows = SimpleCsv(path);
        var header = rows[0];
        var callType = Array.IndexOf(header, callTypeColumn);
        Assert.True(callType >= 0, $"{callTypeColumn} not in header");
        var profileObject = Hub.Adapters.Cad.CadProfileLoader.LoadFile(SampleProfile(profile));
        var codes = profileObject.Overdose.CallTypes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var expectedOverdose = rows.Skip(1).Count(r => codes.Contains(r[callType].Trim()));

        var outcomes = await ReadAllAsync(Feed(SampleProfile(profile), timeZone: "UTC"), path);

        Assert.Equal(rows.Count - 1, outcomes.Count);
        Assert.Empty(outcomes.Where(o => o.Kind == RecordOutcomeKind.Rejected).Select(o => o.Reject));
        var overdose = outcomes.Where(o => o.Kind == RecordOutcomeKind.Overdose).ToList();
        Assert.Equal(expectedOverdose, overdose.Count);
        Assert.True(expectedOverdose > 0);
        Assert.All(overdose, o =>
        {
            var e = o.Event!;
            Assert.Equal(SourceKind.Police, e.SourceKind);
            Assert.Null(e.Subject);
            Assert.Equal(SubstanceClass.Unknown, e.Clinical.Substance);
            Assert.Equal("cad-call-type", e.Detection.DefinitionId);
            Assert.Equal(callTypeColumn, e.Detection.Evidence[0].Element);
            Assert.Contains(e.Detection.Evidence[0].Value, codes);
            Assert.Equal(e.Clinical.DispatchReason, e.Detection.Evidence[0].Value);
            Assert.NotEqual(LocationPrecision.Unknown, e.Location.Precision);
            // The profile's zone wins over the feed's UTC: the offset is the zone's at that instant.
            Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(e.OccurredAt.UtcDateTime), e.OccurredAt.Offset);
        });
        // One event id per incident id (Montgomery re-publishes a call now and then: same call, same id).
        Assert.Equal(overdose.Select(o => o.SourceRecordId).Distinct().Count(), overdose.Select(o => o.Event!.EventId).Distinct().Count());
    }

    [ExternalDataFact]
    public async Task Given_San_Diego_export_When_read_Then_1140OD_calls_land_at_the_right_instant_with_block_or_intersection()
    {
        var outcomes = await ReadAllAsync(Feed(SampleProfile("cad-sdpd.json"), "sdpd-cad"),
            ExternalData.PathOf("cad-sandiego-pd-2023", "pd_calls_for_service_2023_datasd.first6000.csv"));

        // Row "E23010000091","2023-01-01 00:48:42",...,"900","","05TH","AVE",...,"1140OD","CAN","523","0": PST (UTC-8).
        var first = EventFor(outcomes, "E23010000091");
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 8, 48, 42, TimeSpan.Zero), first.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(-8), first.OccurredAt.Offset);
        Assert.Equal(LocationPrecision.Block, first.Location.Precision);
        Assert.Equal("900 05TH AVE", first.Location.Block);
        Assert.Equal("523", first.Location.Beat);
        Assert.Equal("CA", first.Location.State);
        Assert.Equal("CAN", first.Clinical.DispositionText);
        Assert.Equal("sdpd-calls-for-service/2023.1", first.Detection.DefinitionVersion);
        Assert.Equal("E23010000091", first.SourceRecordId);
        Assert.Equal(Hub.Adapters.Cad.CadFeedReader.EventIdFor("sdpd-cad", "E23010000091"), first.EventId);

        // Row E23010000630, 2023-01-01 12:13:56: number 0 with a cross street, so an intersection.
        var crossing = EventFor(outcomes, "E23010000630");
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 20, 13, 56, TimeSpan.Zero), crossing.OccurredAt);
        Assert.Equal(LocationPrecision.Intersection, crossing.Location.Precision);
        Assert.Equal("19TH ST & IMPERIAL", crossing.Location.Intersection);
        Assert.Equal(84, first.Provenance.Line);
    }

    [ExternalDataFact]
    public async Task Given_Montgomery_export_When_read_Then_call_time_comes_from_desc_in_eastern_time()
    {
        var outcomes = await ReadAllAsync(Feed(SampleProfile("cad-montgomery-pa.json"), "montco-911"),
            ExternalData.PathOf("cad-montgomery-county-pa-911", "911.first5000.csv"));

        // First EMS: OVERDOSE row: desc "FITZWATERTOWN RD & BARTRAM RD;  UPPER MORELAND; Station 381; 2015-12-10 @ 22:27:24;",
        // lat 40.1508958, lng -75.1274376, zip 19090, published (timeStamp) 22:32:01. 22:27:24 EST = 03:27:24Z next day.
        var first = outcomes.First(o => o.Kind == RecordOutcomeKind.Overdose).Event!;
        Assert.Equal(new DateTimeOffset(2015, 12, 11, 3, 27, 24, TimeSpan.Zero), first.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(-5), first.OccurredAt.Offset);
        Assert.Equal(LocationPrecision.Point, first.Location.Precision);
        Assert.Equal(40.1508958, first.Location.Latitude);
        Assert.Equal(-75.1274376, first.Location.Longitude);
        Assert.Equal("FITZWATERTOWN RD & BARTRAM RD", first.Location.Intersection);
        Assert.Equal("UPPER MORELAND", first.Location.City);
        Assert.Equal("19090", first.Location.Zip);
        Assert.StartsWith("h-", first.SourceRecordId, StringComparison.Ordinal);
        Assert.Equal(104, first.Provenance.Line);
    }

    [ExternalDataFact]
    public async Task Given_Seattle_export_When_read_Then_US_format_times_are_pacific_daylight_and_final_type_is_not_matched()
    {
        var outcomes = await ReadAllAsync(Feed(SampleProfile("cad-seattle-spd.json"), "spd-cad"),
            ExternalData.PathOf("cad-seattle-spd-call-data-sample", "db_call_data_2018-2023.csv"));

        var overdose = outcomes.Where(o => o.Kind == RecordOutcomeKind.Overdose).Select(o => o.Event!).OrderBy(e => e.OccurredAt).ToList();
        Assert.Equal(2, overdose.Count);

        // "OVERDOSE" rows queued 04/21/2020 7:27:44 PM and 07/31/2020 8:27:50 PM, both PDT (UTC-7).
        Assert.Equal(new DateTimeOffset(2020, 4, 22, 2, 27, 44, TimeSpan.Zero), overdose[0].OccurredAt);
        Assert.Equal(new DateTimeOffset(2020, 8, 1, 3, 27, 50, TimeSpan.Zero), overdose[1].OccurredAt);
        Assert.All(overdose, e =>
        {
            Assert.Equal(TimeSpan.FromHours(-7), e.OccurredAt.Offset);
            Assert.Equal("OVERDOSE", e.Clinical.DispatchReason);
            Assert.Equal("ASSISTANCE RENDERED", e.Clinical.DispositionText);
            Assert.Equal(DispositionKind.Other, e.Clinical.Disposition);
            Assert.Equal(LocationPrecision.Point, e.Location.Precision);
            Assert.Equal("WA", e.Location.State);
        });
    }
}
