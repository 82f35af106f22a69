using Hub.Adapters.Cad;
using Hub.Testing;
using static Hub.Adapters.Tests.Cad.CadTestSupport;

namespace Hub.Adapters.Tests.Cad;

public sealed class CadFeedCheckTests
{
    [Fact]
    public async Task Given_file_with_rejects_When_checked_Then_each_column_reports_parsed_empty_failed_and_why_without_values()
    {
        await using var stream = File.OpenRead(TestData("rejects.csv"));

        var result = await CadFeedCheck.RunAsync(SyntheticFeed(), stream, "rejects.csv", CancellationToken.None);

        Assert.Equal(8, result.Records);
        Assert.Equal(2, result.Overdose);
        Assert.Equal(1, result.NotOverdose);
        Assert.Equal(5, result.Rejected);
        Assert.Equal("synthetic-cad/1", result.Profile);
        Assert.Equal("America/Los_Angeles", result.TimeZone);
        Assert.Empty(result.UnmappedHeaders);

        var received = result.Columns.Single(c => c.Field == CadField.Received);
        Assert.Equal("received_at", received.Column);
        Assert.True(received.Required);
        Assert.Equal(5, received.Parsed);
        Assert.Equal(1, received.Failed);
        var reason = Assert.Single(received.TopFailures);
        Assert.Equal("unparsable time: shape '99/99/9999 99:99', expected ISO 8601", reason.Reason);
        Assert.Equal(6, reason.FirstLine);

        var id = result.Columns.Single(c => c.Field == CadField.IncidentId);
        Assert.Equal(1, id.Empty);
        Assert.Equal(5, id.Parsed);

        var zip = result.Columns.Single(c => c.Field == CadField.Zip);
        Assert.Equal(6, zip.Parsed);

        // No reason or call type carries a value beyond shapes and codes.
        var allText = string.Join("\n", result.Columns.SelectMany(c => c.TopFailures).Concat(result.RejectReasons).Select(r => r.Reason));
        Assert.DoesNotContain("Shelbyville", allText, StringComparison.Ordinal);
        Assert.DoesNotContain("ELM", allText, StringComparison.Ordinal);
        Assert.Contains(result.RejectReasons, r => r.Reason == "missing incident id" && r.Count == 1 && r.FirstLine == 5);
        Assert.Contains(result.OverdoseCallTypes, r => r.Reason == "call_type = OD" && r.Count == 2);
    }

    [ExternalDataFact]
    public async Task Given_Seattle_export_and_a_profile_with_the_wrong_time_format_When_checked_Then_the_time_column_reports_the_shape_to_fix()
    {
        var profile = CadProfileLoader.LoadFile(SampleProfile("cad-seattle-spd.json"));
        profile.Columns["Received"].Formats = ["yyyy-MM-dd HH:mm:ss"];
        var feed = Feed(SampleProfile("cad-seattle-spd.json"));
        feed.Cad = profile;
        var path = ExternalData.PathOf("cad-seattle-spd-call-data-sample", "db_call_data_2018-2023.csv");
        var rows = SimpleCsv(path).Count - 1;
        await using var stream = File.OpenRead(path);

        var result = await CadFeedCheck.RunAsync(feed, stream, "db_call_data_2018-2023.csv", CancellationToken.None);

        Assert.Equal(rows, result.Records);
        Assert.Equal(rows, result.Rejected);
        var received = result.Columns.Single(c => c.Field == CadField.Received);
        Assert.Equal(0, received.Parsed);
        Assert.Equal(rows, received.Failed);
        Assert.StartsWith("unparsable time: shape '99/99/9999 ", received.TopFailures[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Call Type", result.UnmappedHeaders);
        var onScene = result.Columns.Single(c => c.Field == CadField.OnScene);
        Assert.Equal(rows, onScene.Parsed + onScene.Empty);
    }
}
