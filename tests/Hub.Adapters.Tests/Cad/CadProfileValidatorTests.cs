using Hub.Adapters.Cad;
using Hub.Adapters.Feeds;
using static Hub.Adapters.Tests.Cad.CadTestSupport;

namespace Hub.Adapters.Tests.Cad;

public sealed class CadProfileValidatorTests
{
    [Theory]
    [InlineData("cad-sdpd.json")]
    [InlineData("cad-montgomery-pa.json")]
    [InlineData("cad-seattle-spd.json")]
    public void Given_shipped_sample_profile_When_validated_Then_it_has_no_problem(string file)
    {
        var profile = CadProfileLoader.LoadFile(SampleProfile(file));

        Assert.Empty(CadProfileValidator.Validate(profile, feedTimeZone: null));
    }

    [Fact]
    public void Given_profile_with_several_mistakes_When_a_reader_is_created_Then_one_exception_lists_every_problem()
    {
        var profile = new CadFeedProfile
        {
            Name = "broken",
            TimeZone = "America/Springfield",
            Encoding = "ebcdic",
            Columns = new(StringComparer.OrdinalIgnoreCase)
            {
                ["IncidentId"] = new CadColumn { Name = "id" },
                ["Recieved"] = new CadColumn { Name = "t" },
                ["Latitude"] = new CadColumn { Name = "lat" },
                ["CallTypeOriginal"] = new CadColumn { Name = "type", Extract = "no-group" },
            },
            Overdose = new CadOverdoseRule { Patterns = ["(unclosed"] },
            Dispositions = new(StringComparer.OrdinalIgnoreCase) { ["R"] = "Refused" },
        };
        var feed = new FeedOptions { Id = "x", Kind = FeedKind.Cad, AgencyId = "a", Cad = profile };

        var ex = Assert.Throws<FeedConfigurationException>(() => new CadFeedReaderFactory().Create(feed));

        Assert.Contains("TimeZone 'America/Springfield' is not a known IANA time zone", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Encoding 'ebcdic' is not supported", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown field 'Recieved'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Columns: Received is required.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Latitude and Longitude must be mapped together", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Overdose.Patterns[0]: '(unclosed' is not a valid regular expression", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Columns.CallTypeOriginal.Extract: 'no-group' needs a capture group", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Dispositions['R']: 'Refused' is not one of", ex.Message, StringComparison.Ordinal);
        Assert.Equal(8, CadProfileValidator.Validate(profile, "UTC").Count);
    }

    [Fact]
    public void Given_profile_without_time_zone_When_feed_zone_is_unknown_Then_it_is_a_problem_and_a_known_feed_zone_is_used()
    {
        var profile = CadProfileLoader.LoadFile(TestData("synthetic-profile.json"));
        profile.TimeZone = null;

        Assert.Contains(CadProfileValidator.Validate(profile, "Mars/Olympus"), p => p.Contains("'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Empty(CadProfileValidator.Validate(profile, "America/Chicago"));
    }

    [Fact]
    public void Given_feed_with_neither_inline_profile_nor_file_When_created_Then_configuration_exception()
    {
        var feed = new FeedOptions { Id = "x", Kind = FeedKind.Cad, AgencyId = "a" };

        Assert.Throws<FeedConfigurationException>(() => new CadFeedReaderFactory().Create(feed));
    }

    [Fact]
    public void Given_profile_file_with_bad_json_When_loaded_Then_configuration_exception_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cad-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"Name\": ");
        try
        {
            var ex = Assert.Throws<FeedConfigurationException>(() => CadProfileLoader.LoadFile(path));
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_headerless_profile_When_column_has_no_index_Then_it_is_a_problem()
    {
        var profile = CadProfileLoader.LoadFile(TestData("synthetic-profile.json"));
        profile.HasHeaderRow = false;
        profile.Columns = new(StringComparer.OrdinalIgnoreCase)
        {
            ["IncidentId"] = new CadColumn { Index = 0 },
            ["Received"] = new CadColumn { Index = 1 },
            ["CallTypeOriginal"] = new CadColumn { Name = "call_type" },
        };

        var problems = CadProfileValidator.Validate(profile, null);

        Assert.Equal(["Columns.CallTypeOriginal: the file has no header row, so the column needs an Index."], problems);
    }
}
