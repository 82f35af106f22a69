using Hub.Audit.Console;
using Hub.Deidentification.Profiles;
using Hub.Host.Cli;
using Hub.Host.Web.Console;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Hub.Host.Tests.Console;

/// <summary>The console's pieces that need no browser: account rules and the disclosed-JSON table.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleUnitTests(ConsoleHub hub)
{
    [Theory]
    [InlineData("carol", "recipient", null, "correct horse battery", 2)]
    [InlineData("carol", "auditor-ish", null, "correct horse battery", 2)]
    [InlineData("carol", "privacy-officer", "montco-post", "correct horse battery", 2)]
    [InlineData("carol", "privacy-officer", null, "short", 2)]
    [InlineData("alice", "recipient", "montco-post", "correct horse battery", 3)]
    public async Task Given_an_invalid_or_taken_account_When_it_is_added_Then_the_exit_code_says_why(string name, string role, string? agency, string password, int expected)
    {
        using var errors = new StringWriter();
        Assert.Equal(expected, await UsersCommands.AddUserAsync(hub.App.Services, name, role, agency, password, errors, CancellationToken.None));
        Assert.NotEmpty(errors.ToString());
        Assert.DoesNotContain(password, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_nested_payload_When_flattened_Then_every_leaf_appears_with_its_path_in_order()
    {
        var rows = NotificationView.Flatten("""{"a":1,"b":{"c":"x","d":null},"e":["p","q"],"f":[]}""");
        Assert.Equal(
            new[] { ("a", "1"), ("b.c", "x"), ("b.d", "(not disclosed)"), ("e[0]", "p"), ("e[1]", "q"), ("f", "(none)") },
            rows);
    }

    [Fact]
    public void Given_markup_in_a_value_When_written_Then_it_is_encoded()
    {
        var html = new Html().Raw("<td>").Text("<script>alert('x')</script>").Raw("</td>").ToString();
        Assert.Equal("<td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</td>", html);
    }

    private static ConsoleNotification Row(string payload) =>
        new(Guid.NewGuid(), "agency-a", 1, DateTimeOffset.UnixEpoch, null, payload, false);

    [Theory]
    [InlineData("keep", "point", null)]
    [InlineData("perturb", "perturbed", null)]
    [InlineData("generalize:grid", "cell", 0.01)]
    public void Given_disclosed_coordinates_When_mapped_Then_the_kind_follows_the_profile_method_and_the_coordinates_are_unchanged(string method, string kind, double? cell)
    {
        var row = Row("""{"profile":{"name":"limited-data-set","methods":[{"field":"event.location.point","method":"METHOD"}]},"event":{"occurredAt":"2026-11-20","location":{"latitude":40.1234,"longitude":-75.5678,"countyFips":"42091"}}}""".Replace("METHOD", method, StringComparison.Ordinal));
        var feature = MapFeature.From(row, ProfileCatalog.CreateEmbedded())!;
        Assert.Equal(kind, feature.Kind);
        Assert.Equal(40.1234, feature.Latitude);
        Assert.Equal(-75.5678, feature.Longitude);
        Assert.Equal(cell, feature.CellDegrees);
        Assert.Equal("county 42091", feature.Area);
        Assert.Equal("2026-11-20", feature.OccurredAt);
    }

    [Theory]
    [InlineData("""{"event":{"location":{"censusTract":"42091203800","countyFips":"42091"}}}""", "census tract 42091203800")]
    [InlineData("""{"event":{"location":{"latitude":40.1,"countyFips":"42091"}}}""", "county 42091")]
    [InlineData("""{"event":{"location":{"latitude":140.1,"longitude":-75.2,"zip":"19401"}}}""", "ZIP 19401")]
    [InlineData("""{"event":{"location":{"city":"Norristown","state":"PA"}}}""", "Norristown, PA")]
    [InlineData("""{"event":{"occurredAt":"2026"}}""", "not disclosed")]
    public void Given_no_usable_point_When_mapped_Then_it_is_listed_by_its_area_without_coordinates(string payload, string area)
    {
        var feature = MapFeature.From(Row(payload), null)!;
        Assert.Equal(MapKinds.Area, feature.Kind);
        Assert.Null(feature.Latitude);
        Assert.Null(feature.Longitude);
        Assert.Equal(area, feature.Area);
    }

    [Fact]
    public void Given_a_purged_payload_When_mapped_Then_nothing_is_drawn() =>
        Assert.Null(MapFeature.From(new ConsoleNotification(Guid.NewGuid(), "a", 1, DateTimeOffset.UnixEpoch, null, null, false), null));

    [Fact]
    public void Given_a_spike_alert_payload_When_read_Then_the_counts_and_window_come_back()
    {
        var view = SpikeView.From(Row("""{"spikeId":"0b9a1a52-8a3f-4a43-9d3e-6c1f5f0c1a11","jurisdictionId":"42091","jurisdictionName":"Montgomery County, PA","windowStartUtc":"2026-11-20T00:00:00Z","windowEndUtc":"2026-11-21T00:00:00Z","eventCount":7,"fatalCount":1,"naloxoneCount":6,"threshold":4.5,"method":"baseline"}"""));
        Assert.Equal(("Montgomery County, PA", "42091", 7, 1, 6, 4.5, "baseline"), (view.Jurisdiction, view.JurisdictionId, view.EventCount, view.FatalCount, view.NaloxoneCount, view.Threshold, view.Method));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), view.WindowStartUtc);
    }

    [Theory]
    [InlineData("2026-11-23T00:00:00Z", "2026-11-23")] // Monday
    [InlineData("2026-11-29T23:59:59Z", "2026-11-23")] // Sunday
    [InlineData("2026-11-22T23:59:59Z", "2026-11-16")]
    [InlineData("2027-01-01T12:00:00Z", "2026-12-28")]
    public void Given_an_instant_When_its_week_is_taken_Then_it_is_the_monday_utc(string instant, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), ConsoleQueries.WeekStart(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Given_weekly_counts_When_charted_Then_one_bar_per_nonzero_count_with_its_value_and_encoded_names()
    {
        var w1 = new DateOnly(2026, 11, 9);
        var w2 = new DateOnly(2026, 11, 16);
        var counts = new Dictionary<(DateOnly, string), int> { [(w1, "a<b>")] = 3, [(w2, "a<b>")] = 1, [(w2, "c")] = 12 };
        var html = new Html();
        ConsoleAccountingPages.Chart(html, [w1, w2], ["a<b>", "c"], counts);
        var svg = html.ToString();
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(svg, "<rect class=\"bar\""));
        Assert.Contains("data-recipient=\"a&lt;b&gt;\" data-week=\"2026-11-09\" data-count=\"3\"", svg, StringComparison.Ordinal);
        Assert.Contains("data-recipient=\"c\" data-week=\"2026-11-16\" data-count=\"12\"", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_incomplete_accounting_form_When_parsed_Then_the_errors_name_fields_and_never_echo_values()
    {
        var form = new FormCollection(new Dictionary<string, StringValues> { ["family"] = "Quillfeather", ["birth"] = "14/03/1988", ["asof"] = "soon" });
        var (request, errors) = ConsoleAccountingPages.Parse(form, DateTimeOffset.UnixEpoch);
        Assert.Null(request);
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("Quillfeather", e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain("14/03/1988", e, StringComparison.Ordinal));

        var ok = new FormCollection(new Dictionary<string, StringValues> { ["family"] = "Quill", ["given"] = "Ada", ["birth"] = "1988-03-14", ["zip"] = "19401", ["asof"] = "2026-11-20" });
        var (parsed, none) = ConsoleAccountingPages.Parse(ok, DateTimeOffset.UnixEpoch);
        Assert.Empty(none);
        Assert.Equal(new DateOnly(1988, 3, 14), parsed!.Subject.BirthDate);
        Assert.Equal("19401", parsed.Subject.HomeAddress!.Zip);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), parsed.AsOfUtc);
    }

    [Fact]
    public void Given_the_built_hub_When_leaflet_is_looked_up_Then_its_vendored_files_are_embedded() =>
        Assert.True(ConsoleMapPages.LeafletEmbedded());
}
