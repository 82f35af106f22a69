using Hub.Adapters.Feeds;
using Hub.Contracts.Model;
using static Hub.Adapters.Tests.Cad.CadTestSupport;

namespace Hub.Adapters.Tests.Cad;

/// <summary>Synthetic files, one per edge an agency export has: encodings, line ends, embedded newlines, rejects, drift, DST.</summary>
public sealed class CadEdgeCaseTests
{
    [Fact]
    public async Task Given_windows_1252_file_with_CRLF_When_read_Then_accented_streets_decode_and_types_and_dispositions_map()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(), TestData("win1252-crlf.csv"));

        Assert.Equal(3, outcomes.Count);
        Assert.Equal([RecordOutcomeKind.Overdose, RecordOutcomeKind.NotOverdose, RecordOutcomeKind.Overdose], outcomes.Select(o => o.Kind));

        var first = EventFor(outcomes, "S-1001");
        Assert.Equal("1200 BLOCK CALLE DEL ÁRBOL", first.Location.Block);
        Assert.Equal("San José", first.Location.City);
        Assert.Equal(LocationPrecision.Block, first.Location.Precision);
        Assert.Equal(DispositionKind.Transported, first.Clinical.Disposition);
        Assert.Equal("call-type-exact", first.Detection.Evidence[0].Rule);
        Assert.Equal(2, first.Provenance.Line);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 17, 15, 0, TimeSpan.Zero), first.OccurredAt);

        var third = EventFor(outcomes, "S-1003");
        Assert.Equal("RUE FRANÇOIS & CÔTE ST", third.Location.Intersection);
        Assert.Null(third.Location.Block);
        Assert.Equal(LocationPrecision.Point, third.Location.Precision);
        Assert.Equal(37.3382, third.Location.Latitude);
        Assert.Equal(DispositionKind.RefusedTransport, third.Clinical.Disposition);
        Assert.Equal("REFUSED TREATMENT", third.Clinical.DispositionText);
        Assert.Equal("call-type-pattern", third.Detection.Evidence[0].Rule);
        Assert.Equal("23D1", third.Detection.Evidence[0].Value);
        Assert.Equal(4, third.Provenance.Line);
    }

    [Fact]
    public async Task Given_utf8_BOM_file_and_a_windows_1252_profile_When_read_Then_the_BOM_wins()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(), TestData("utf8-bom.csv"));

        var only = Assert.Single(outcomes);
        Assert.Equal("S-1001", only.SourceRecordId);
        Assert.Equal("1200 BLOCK CALLE DEL ÁRBOL", only.Event!.Location.Block);
    }

    [Fact]
    public async Task Given_quoted_fields_with_newlines_and_quotes_When_read_Then_they_are_data_and_line_numbers_follow_the_file()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(keepNarrative: true), TestData("embedded-newlines.csv"));

        Assert.Equal(3, outcomes.Count);
        var first = EventFor(outcomes, "E-1");
        Assert.Equal("Caller said \"he took something\"\nthen line dropped\nrecall failed", first.Narrative);
        Assert.Equal(2, first.Provenance.Line);
        Assert.Equal(RecordOutcomeKind.NotOverdose, outcomes[1].Kind);
        var third = EventFor(outcomes, "E-3");
        Assert.Equal("300 BLOCK \"OLD\" MAIN ST", third.Location.Block);
        Assert.Equal(DispositionKind.Died, third.Clinical.Disposition);
        Assert.Equal(7, third.Provenance.Line);
    }

    [Fact]
    public async Task Given_narrative_not_kept_When_read_Then_description_is_dropped()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(keepNarrative: false), TestData("embedded-newlines.csv"));

        Assert.Null(EventFor(outcomes, "E-1").Narrative);
    }

    [Fact]
    public async Task Given_ragged_rows_missing_id_and_bad_times_When_read_Then_each_is_a_reject_with_line_and_column_and_the_rest_is_read()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(), TestData("rejects.csv"));

        Assert.Equal(8, outcomes.Count);
        Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
        var rejects = outcomes.Where(o => o.Kind == RecordOutcomeKind.Rejected).Select(o => o.Reject!).ToList();
        Assert.Equal(5, rejects.Count);
        Assert.Equal("ragged row: 6 fields where the header has 15", rejects[0].Reason);
        Assert.Equal("line 3, column block_address", rejects[0].Location);
        Assert.Equal("ragged row: 16 fields where the header has 15", rejects[1].Reason);
        Assert.Equal("line 4, column #16 (beyond the header)", rejects[1].Location);
        Assert.Equal("missing incident id", rejects[2].Reason);
        Assert.Equal("line 5, column incident_id", rejects[2].Location);
        Assert.Equal("unparsable time (shape '99/99/9999 99:99', expected ISO 8601)", rejects[3].Reason);
        Assert.Equal("line 6, column received_at", rejects[3].Location);
        Assert.StartsWith("unparsable time (shape 'AAAA'", rejects[4].Reason, StringComparison.Ordinal);
        Assert.Equal("line 7, column dispatched_at", rejects[4].Location);
        Assert.Equal("R-6", outcomes[5].SourceRecordId);

        // The sensitive call keeps only city and state.
        var sensitive = EventFor(outcomes, "R-7");
        Assert.True(sensitive.Location.Suppressed);
        Assert.Null(sensitive.Location.Block);
        Assert.Null(sensitive.Location.Latitude);
        Assert.Null(sensitive.Location.Zip);
        Assert.Null(sensitive.Location.Beat);
        Assert.Equal("Shelbyville", sensitive.Location.City);
        Assert.Equal(LocationPrecision.Municipality, sensitive.Location.Precision);

        Assert.Equal(RecordOutcomeKind.NotOverdose, outcomes[7].Kind);
        Assert.Equal("R-8", outcomes[7].SourceRecordId);
    }

    [Fact]
    public async Task Given_renamed_columns_When_profile_lists_the_aliases_Then_file_reads_as_before()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(), TestData("drift.csv"));

        Assert.Equal([RecordOutcomeKind.Overdose, RecordOutcomeKind.NotOverdose], outcomes.Select(o => o.Kind));
        var first = EventFor(outcomes, "D-1");
        Assert.Equal("nature_code", first.Detection.Evidence[0].Element);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 17, 0, 0, TimeSpan.Zero), first.OccurredAt);
    }

    [Fact]
    public async Task Given_renamed_column_without_alias_When_read_Then_every_row_is_rejected_naming_the_missing_field()
    {
        var profile = Hub.Adapters.Cad.CadProfileLoader.LoadFile(TestData("synthetic-profile.json"));
        profile.Columns["CallTypeOriginal"].Aliases.Clear();
        profile.Overdose.MatchOn = Hub.Adapters.Cad.CadCallTypeMatch.Original;
        var feed = SyntheticFeed();
        feed.Cad = profile;

        var outcomes = await ReadAllAsync(feed, TestData("drift.csv"));

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.Equal(RecordOutcomeKind.Rejected, o.Kind);
            Assert.Equal("the header has no column for CallTypeOriginal (looked for 'call_type')", o.Reject!.Reason);
        });
        Assert.Equal("line 2, column CallTypeOriginal", outcomes[0].Reject!.Location);
    }

    [Fact]
    public async Task Given_times_in_DST_gap_and_overlap_When_read_Then_gap_shifts_forward_and_overlap_takes_the_earlier_instant()
    {
        var outcomes = await ReadAllAsync(SyntheticFeed(), TestData("dst.csv"));

        Assert.Equal(8, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(RecordOutcomeKind.Overdose, o.Kind));
        var at = outcomes.ToDictionary(o => o.SourceRecordId!, o => o.Event!.OccurredAt);

        // Spring forward, America/Los_Angeles 2024-03-10: 02:00 PST became 03:00 PDT.
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 1, 59, 59, TimeSpan.FromHours(-8)), at["T-1"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 3, 30, 0, TimeSpan.FromHours(-7)), at["T-2"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 10, 30, 0, TimeSpan.Zero), at["T-2"].ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 3, 0, 0, TimeSpan.FromHours(-7)), at["T-3"]);

        // Fall back 2024-11-03: 01:00-02:00 happened twice; the earlier (PDT, UTC-7) is chosen.
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 0, 59, 59, TimeSpan.FromHours(-7)), at["T-4"]);
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 1, 30, 0, TimeSpan.FromHours(-7)), at["T-5"]);
        Assert.Equal(TimeSpan.FromHours(-7), at["T-5"].Offset);
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 2, 0, 0, TimeSpan.FromHours(-8)), at["T-6"]);

        // An explicit offset is kept as written, even in the overlap.
        Assert.Equal(TimeSpan.FromHours(-8), at["T-7"].Offset);
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 9, 30, 0, TimeSpan.Zero), at["T-7"].ToUniversalTime());
        Assert.Equal(TimeSpan.Zero, at["T-8"].Offset);
    }

    [Fact]
    public async Task Given_same_incident_in_two_files_When_read_Then_event_id_is_the_same_and_differs_by_feed()
    {
        var a = await ReadAllAsync(SyntheticFeed(), TestData("win1252-crlf.csv"));
        var b = await ReadAllAsync(SyntheticFeed(), TestData("utf8-bom.csv"));

        Assert.Equal(EventFor(a, "S-1001").EventId, EventFor(b, "S-1001").EventId);
        Assert.NotEqual(EventFor(a, "S-1001").EventId, Hub.Adapters.Cad.CadFeedReader.EventIdFor("other-feed", "S-1001"));
        Assert.DoesNotContain("S-1001", EventFor(a, "S-1001").EventId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_unterminated_quote_When_read_Then_rows_before_are_kept_and_the_break_is_a_reject()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cad-unterminated-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path,
            "incident_id,received_at,dispatched_at,call_type,final_call_type,description,block_address,city,zip,latitude,longitude,beat,disposition,priority,sensitive\n" +
            "U-1,2024-06-01 10:00:00,,OD,,ok,100 BLOCK A ST,X,11111,,,B,,1,N\n" +
            "U-2,2024-06-01 11:00:00,,OD,,\"never closed,100 BLOCK A ST,X,11111,,,B,,1,N\n" +
            "U-3,2024-06-01 12:00:00,,OD,,ok,100 BLOCK A ST,X,11111,,,B,,1,N\n");
        try
        {
            var outcomes = await ReadAllAsync(SyntheticFeed(), path);

            Assert.Equal(2, outcomes.Count);
            Assert.Equal(RecordOutcomeKind.Overdose, outcomes[0].Kind);
            Assert.Equal(RecordOutcomeKind.Rejected, outcomes[1].Kind);
            Assert.Equal("line 3, column block_address", outcomes[1].Reject!.Location);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class CadHeaderlessTests
{
    [Fact]
    public async Task Given_headerless_semicolon_file_When_profile_maps_by_index_Then_every_row_is_read()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"cad-headerless-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "calls.csv");
        var profilePath = Path.Combine(dir, "profile.json");
        await File.WriteAllTextAsync(data, "H-1;2024-01-05 10:00:00;29D1\nH-2;2024-01-05 11:00:00;ALARM\n\nH-3;2024-01-05 12:00:00;OD\n");
        await File.WriteAllTextAsync(profilePath, """
            { "Name": "headerless", "HasHeaderRow": false, "Delimiter": ";", "TimeZone": "America/Chicago",
              "Columns": { "IncidentId": { "Index": 0 }, "Received": { "Index": 1 }, "CallTypeOriginal": { "Index": 2 } },
              "Overdose": { "CallTypes": [ "OD" ], "Patterns": [ "^29D" ] } }
            """);
        try
        {
            var outcomes = await ReadAllAsync(Feed(profilePath), data);

            Assert.Equal(["H-1", "H-2", "H-3"], outcomes.Select(o => o.SourceRecordId));
            Assert.Equal([RecordOutcomeKind.Overdose, RecordOutcomeKind.NotOverdose, RecordOutcomeKind.Overdose], outcomes.Select(o => o.Kind));
            Assert.Equal(new DateTimeOffset(2024, 1, 5, 16, 0, 0, TimeSpan.Zero), outcomes[0].Event!.OccurredAt);
            Assert.Equal("#2", outcomes[0].Event!.Detection.Evidence[0].Element);
            Assert.Equal(4, outcomes[2].Event!.Provenance.Line);
            Assert.Equal(LocationPrecision.Unknown, outcomes[0].Event!.Location.Precision);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
