using Hub.Routing.Linkage;
using Hub.Routing.Recipients;
using Hub.Routing.Spikes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Routing.Tests.Recipients;

public sealed class RecipientsOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddHubRouting(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Given_a_valid_configuration_When_bound_Then_every_field_arrives_and_the_matcher_routes()
    {
        var polygon = TestEvents.TestDataPath("Jurisdictions", "square-with-hole.geojson");
        using var services = Services(new()
        {
            ["Hub:Recipients:0:Id"] = "montco-outreach",
            ["Hub:Recipients:0:Name"] = "Montgomery County Outreach",
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Address"] = "1 Main St, Norristown PA",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:0:Jurisdiction:Municipalities:0:Name"] = "Norristown",
            ["Hub:Recipients:0:Jurisdiction:Municipalities:0:State"] = "PA",
            ["Hub:Recipients:0:Jurisdiction:ZipCodes:0"] = "19401",
            ["Hub:Recipients:0:Jurisdiction:PolygonFile"] = polygon,
            ["Hub:Recipients:0:Filters:SourceKinds:0"] = "Ems",
            ["Hub:Recipients:0:Filters:Substances:0"] = "Opioid",
            ["Hub:Recipients:0:Filters:Fatal"] = "non-fatal",
            ["Hub:Recipients:0:Filters:Minors"] = "exclude",
            ["Hub:Recipients:0:Filters:Dispositions:0"] = "RefusedTransport",
            ["Hub:Recipients:0:Hours:TimeZone"] = "America/New_York",
            ["Hub:Recipients:0:Hours:Days:0"] = "Monday",
            ["Hub:Recipients:0:Hours:Start"] = "08:00",
            ["Hub:Recipients:0:Hours:End"] = "17:30",
            ["Hub:Recipients:0:Hours:AfterHoursRecipientId"] = "state-hd",
            ["Hub:Recipients:0:Delivery:Channel"] = "webhook",
            ["Hub:Recipients:0:Delivery:WebhookUrl"] = "https://outreach.example.org/hook",
            ["Hub:Recipients:0:Delivery:WebhookSecret"] = "0123456789abcdef0123",
            ["Hub:Recipients:0:Profile"] = "identified-for-outreach",
            ["Hub:Recipients:0:PseudonymKey"] = Convert.ToBase64String(new byte[32]),
            ["Hub:Recipients:1:Id"] = "state-hd",
            ["Hub:Recipients:1:Name"] = "State Health Department",
            ["Hub:Recipients:1:Kind"] = "health-department",
            ["Hub:Recipients:1:Jurisdiction:CountyFips:0"] = "42091",
            ["Hub:Recipients:1:Delivery:Channel"] = "inbox",
            ["Hub:Recipients:1:ReceivesSpikeAlerts"] = "true",
            ["Hub:Linkage:EmsEdWindow"] = "08:00:00",
            ["Hub:Spikes:Jurisdictions:0:Id"] = "42091",
            ["Hub:Spikes:Jurisdictions:0:Name"] = "Montgomery",
            ["Hub:Spikes:Jurisdictions:0:Threshold"] = "5",
        });

        var options = services.GetRequiredService<IOptions<RecipientsOptions>>().Value;
        var first = options.Recipients[0];
        Assert.Equal(2, options.Recipients.Count);
        Assert.Equal(new TimeOnly(17, 30), first.Hours!.End);
        Assert.Equal([DayOfWeek.Monday], first.Hours.Days);
        Assert.Equal([Hub.Contracts.Model.DispositionKind.RefusedTransport], first.Filters.Dispositions);
        Assert.Equal("Norristown", first.Jurisdiction.Municipalities[0].Name);
        Assert.Equal(new Uri("https://outreach.example.org/hook"), first.Delivery.WebhookUrl);
        Assert.True(options.Recipients[1].ReceivesSpikeAlerts);
        Assert.Equal(TimeSpan.FromHours(8), services.GetRequiredService<IOptions<LinkageOptions>>().Value.EmsEdWindow);
        Assert.Equal(5, services.GetRequiredService<IOptions<SpikeOptions>>().Value.Jurisdictions[0].Threshold);
        Assert.Equal(["state-hd"], services.GetRequiredService<IRecipientMatcher>().MatchSpike("42091"));
        Assert.NotNull(services.GetRequiredService<IEpisodeLinker>());
        Assert.NotNull(services.GetRequiredService<SpikeDetector>());
    }

    [Fact]
    public void Given_a_table_with_many_mistakes_When_validated_Then_every_one_is_listed()
    {
        using var services = Services(new()
        {
            ["Hub:Recipients:0:Id"] = "team",
            ["Hub:Recipients:0:Name"] = "Team",
            ["Hub:Recipients:0:Kind"] = "police",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "4209",
            ["Hub:Recipients:0:Jurisdiction:ZipCodes:0"] = "1940",
            ["Hub:Recipients:0:Jurisdiction:PolygonFile"] = "/nonexistent/area.geojson",
            ["Hub:Recipients:0:Filters:Fatal"] = "maybe",
            ["Hub:Recipients:0:Hours:TimeZone"] = "Mars/Olympus",
            ["Hub:Recipients:0:Hours:Start"] = "08:00",
            ["Hub:Recipients:0:Hours:End"] = "17:00",
            ["Hub:Recipients:0:Hours:AfterHoursRecipientId"] = "nobody",
            ["Hub:Recipients:0:Delivery:Channel"] = "webhook",
            ["Hub:Recipients:0:PseudonymKey"] = "not base64!",
            ["Hub:Recipients:1:Id"] = "team",
            ["Hub:Recipients:1:Name"] = "Team again",
            ["Hub:Recipients:1:Kind"] = "outreach-team",
            ["Hub:Recipients:1:Jurisdiction:Municipalities:0:Name"] = "Norristown",
            ["Hub:Recipients:1:Jurisdiction:Municipalities:0:State"] = "Pennsylvania",
            ["Hub:Recipients:2:Id"] = "Bad Id",
            ["Hub:Recipients:2:Kind"] = "harm-reduction",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RecipientsOptions>>().Value);

        var expected = new[]
        {
            "Recipients: duplicate Id 'team'.",
            "Recipients[0] (team).Kind 'police' is not one of",
            "Recipients[0] (team).Jurisdiction.CountyFips '4209' is not a 5-digit county FIPS code",
            "Recipients[0] (team).Jurisdiction.ZipCodes '1940' is not a 5-digit ZIP code.",
            "Recipients[0] (team).Jurisdiction.PolygonFile '/nonexistent/area.geojson' does not exist.",
            "Recipients[0] (team).Filters.Fatal 'maybe' is not one of",
            "Recipients[0] (team).Hours.TimeZone 'Mars/Olympus' is not a known time zone.",
            "Recipients[0] (team).Hours.AfterHoursRecipientId 'nobody' is not a configured recipient.",
            "Recipients[0] (team).Delivery.WebhookUrl is required for the webhook channel.",
            "Recipients[0] (team).Delivery.WebhookSecret is required",
            "Recipients[0] (team).PseudonymKey is not valid base64.",
            "Recipients[1] (team).Jurisdiction.Municipalities[0].State 'Pennsylvania' is not a US state code.",
            "Recipients[2].Id 'Bad Id' may contain only lower-case letters, digits and '-'.",
            "Recipients[2] (Bad Id).Name is required.",
            "Recipients[2] (Bad Id).Jurisdiction: no county, municipality, ZIP code or polygon file is given.",
        };
        foreach (var message in expected)
        {
            Assert.True(ex.Failures.Any(f => f.StartsWith(message, StringComparison.Ordinal)), message + " not in:\n" + string.Join("\n", ex.Failures));
        }

        Assert.Equal(expected.Length, ex.Failures.Count());
    }

    [Fact]
    public void Given_a_polygon_file_with_errors_When_validated_Then_the_file_errors_are_listed_with_their_paths()
    {
        var options = new RecipientsOptions();
        var r = new RecipientOptions { Id = "a", Name = "A", Kind = RecipientKinds.PeerRecovery };
        r.Jurisdiction.PolygonFile = TestEvents.TestDataPath("Jurisdictions", "unclosed-ring.geojson");
        options.Recipients.Add(r);

        var errors = RecipientsOptionsValidator.Collect(options);

        Assert.Equal(3, errors.Count);
        Assert.Contains("$.features[0].geometry.coordinates[0]: the ring is not closed", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Given_bad_spike_settings_When_validated_Then_every_problem_is_listed()
    {
        using var services = Services(new()
        {
            ["Hub:Spikes:Jurisdictions:0:Id"] = "99999",
            ["Hub:Spikes:Jurisdictions:0:Method"] = "fixed",
            ["Hub:Spikes:Jurisdictions:1:Id"] = "42091",
            ["Hub:Spikes:Jurisdictions:1:Name"] = "Montgomery",
            ["Hub:Spikes:Jurisdictions:1:Method"] = "baseline",
            ["Hub:Spikes:Jurisdictions:1:BaselineWeeks"] = "0",
            ["Hub:Spikes:Jurisdictions:1:BaselineK"] = "-1",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SpikeOptions>>().Value);

        Assert.Equal(5, ex.Failures.Count());
    }
}
