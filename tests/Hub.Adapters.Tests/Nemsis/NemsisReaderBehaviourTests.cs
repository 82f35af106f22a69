using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis;
using Hub.Contracts.Model;
using static Hub.Adapters.Tests.Nemsis.NemsisTestSupport;

namespace Hub.Adapters.Tests.Nemsis;

/// <summary>Progress, privacy of reject texts, ids and time handling of the NEMSIS reader.</summary>
public sealed class NemsisReaderBehaviourTests
{
    [Fact]
    public void Given_progress_interval_When_file_read_Then_callback_counts_records_and_completes()
    {
        var feed = Feed(configure: s => s.ProgressInterval = 2);
        var reader = new NemsisFeedReader(feed);
        var reports = new List<NemsisReadProgress>();
        reader.ProgressCallback = reports.Add;
        var xml = Document(Pcr("P-1"), Pcr("P-2", "<eSituation><eSituation.11>R51</eSituation.11></eSituation>"), Pcr("P-3"), Pcr(""), Pcr("P-5"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));

        var outcomes = ReadAll(reader, stream, new SourceDocument("p.xml", new string('0', 64), ReceivedAt));

        Assert.Equal(5, outcomes.Count);
        Assert.Equal([2L, 4L, 5L], reports.Select(r => r.Records));
        var last = reports[^1];
        Assert.True(last.Completed);
        Assert.Equal((3L, 1L, 1L), (last.Overdoses, last.NotOverdoses, last.Rejected));
        Assert.Same(last, reader.LastProgress);
    }

    [Theory]
    [InlineData("The 'http://www.nemsis.org:ePatient.17' element is invalid - The value '1999-13-09' is invalid according to its datatype 'http://www.nemsis.org:DateOfBirth'", "1999-13-09")]
    [InlineData("The 'ePatient.02' start tag on line 5 position 6 does not match the end tag of 'Smith'. Line 5, position 20.", "Smith")]
    [InlineData("Reference to undeclared entity 'JohnDoe'.", "JohnDoe")]
    public void Given_parser_message_with_values_When_sanitized_Then_values_removed_and_names_kept(string message, string value)
    {
        var sanitized = NemsisDocumentScanner.Sanitize(message);

        Assert.DoesNotContain(value, sanitized, StringComparison.Ordinal);
        Assert.Contains("'…'", sanitized, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_element_names_in_message_When_sanitized_Then_kept()
    {
        const string message = "The element 'eSituation' in namespace 'http://www.nemsis.org' has incomplete content. List of possible elements expected: 'eSituation.19, eSituation.20' in namespace 'http://www.nemsis.org'.";

        Assert.Equal(message, NemsisDocumentScanner.Sanitize(message));
    }

    [Fact]
    public void Given_same_feed_and_record_When_read_twice_Then_event_id_is_stable_and_differs_by_feed()
    {
        var xml = Document(Pcr("PCR-STABLE"));

        var first = Assert.Single(ReadText(xml)).Event!.EventId;
        var second = Assert.Single(ReadText(xml)).Event!.EventId;

        Assert.Equal(first, second);
        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, NemsisEventMapper.EventIdOf("other-feed", "PCR-STABLE"));
    }

    [Fact]
    public void Given_time_without_offset_When_read_Then_feed_time_zone_applies_and_psap_time_preferred()
    {
        var feed = Feed();
        feed.TimeZone = "America/Chicago";
        var xml = Document(
            Pcr("T-1").Replace("2026-03-01T22:18:01-05:00", "2026-07-01T10:00:00", StringComparison.Ordinal),
            """
                <PatientCareReport>
                  <eRecord><eRecord.01>T-2</eRecord.01></eRecord>
                  <eTimes><eTimes.01 xsi:nil="true" NV="7701003"/><eTimes.03>2026-07-01T10:05:00+02:00</eTimes.03><eTimes.07>2026-07-01T10:20:00+02:00</eTimes.07></eTimes>
                  <eSituation><eSituation.11>F11.20</eSituation.11></eSituation>
                </PatientCareReport>
            """,
            """
                <PatientCareReport>
                  <eRecord><eRecord.01>T-3</eRecord.01></eRecord>
                  <eSituation><eSituation.11>F11.20</eSituation.11></eSituation>
                </PatientCareReport>
            """);

        var outcomes = ReadText(xml, feed);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.FromHours(-5)), outcomes[0].Event!.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(-5), outcomes[0].Event!.OccurredAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 5, 0, TimeSpan.FromHours(2)), outcomes[1].Event!.OccurredAt);
        Assert.Contains(outcomes[1].Event!.Clinical.AbsentValues, a => a.Element == "eTimes.01" && a.Kind == "NV");
        Assert.Equal(RecordOutcomeKind.Rejected, outcomes[2].Kind);
        Assert.Contains("no usable time", outcomes[2].Reject!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_subject_and_scene_without_gps_When_read_Then_mapped_with_address_precision()
    {
        var inner = """
            <ePatient><ePatient.PatientNameGroup><ePatient.02>Doe</ePatient.02><ePatient.03>Alex</ePatient.03><ePatient.04>Q</ePatient.04></ePatient.PatientNameGroup>
              <ePatient.25>9919003</ePatient.25><ePatient.AgeGroup><ePatient.15>7</ePatient.15><ePatient.16>2516007</ePatient.16></ePatient.AgeGroup>
              <ePatient.18 PhoneNumberType="9913009">555-0100</ePatient.18></ePatient>
            <eScene><eScene.11>not-a-point</eScene.11><eScene.15>1 Main St</eScene.15><eScene.19>92101</eScene.19></eScene>
            <eSituation><eSituation.11>T40.411A</eSituation.11></eSituation>
            <eArrest><eArrest.18>3018003</eArrest.18></eArrest>
            <eDisposition><eDisposition.IncidentDispositionGroup><eDisposition.30>4230013</eDisposition.30></eDisposition.IncidentDispositionGroup></eDisposition>
            """;

        var e = Assert.Single(ReadText(Document(Pcr("S-1", inner)))).Event!;

        Assert.Equal(("Doe", "Alex", "Q"), (e.Subject!.FamilyName, e.Subject.GivenName, e.Subject.MiddleName));
        Assert.Equal("male", e.Subject.Sex);
        Assert.Equal(0, e.Subject.AgeYears);
        Assert.Equal("7 months", e.Subject.AgeAsRecorded);
        Assert.Equal("555-0100", e.Subject.Phone);
        Assert.Equal(LocationPrecision.Address, e.Location.Precision);
        Assert.Null(e.Location.Latitude);
        Assert.Contains(e.Warnings, w => w.StartsWith("eScene.11", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Warnings, w => w.Contains("not-a-point", StringComparison.Ordinal));
        Assert.True(e.Clinical.Fatal);
        Assert.Equal(DispositionKind.Died, e.Clinical.Disposition);
        Assert.Contains("eDisposition.30=4230013", e.Clinical.DispositionCodes);
    }
}
