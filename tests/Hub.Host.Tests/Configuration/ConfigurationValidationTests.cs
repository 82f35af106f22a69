using Hub.Host.Configuration;

namespace Hub.Host.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void Given_several_bad_settings_When_the_hub_validates_at_start_Then_every_problem_is_listed_at_once()
    {
        var app = HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: false, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Bus:Transport"] = "carrier-pigeon",
            ["Hub:Database:ConnectionString"] = "Data Source=" + Path.Combine(Path.GetTempPath(), $"hub-{Guid.NewGuid():N}.db"),
            ["Hub:Feeds:0:Id"] = "cad-a",
            ["Hub:Feeds:0:Kind"] = "Cad",
            ["Hub:Feeds:0:AgencyId"] = "pd",
            ["Hub:Feeds:0:TimeZone"] = "Mars/Olympus_Mons",
            ["Hub:Feeds:1:Id"] = "cad-a",
            ["Hub:Feeds:1:Kind"] = "Nemsis",
            ["Hub:Feeds:1:AgencyId"] = "ems",
            ["Hub:Agreements:0:Id"] = "dsa-1",
            ["Hub:Agreements:0:RecipientId"] = "team",
            ["Hub:Agreements:0:MaxProfile"] = "everything",
            ["Hub:Recipients:0:Id"] = "team",
            ["Hub:Recipients:0:Name"] = "Outreach team",
            ["Hub:Recipients:0:Kind"] = "outreach-team",
            ["Hub:Recipients:0:Jurisdiction:CountyFips:0"] = "42091",
        }));

        var failures = CollectFailures(app.Services);

        Assert.Contains(failures, f => f.Contains("Transport", StringComparison.Ordinal) && f.Contains("carrier-pigeon", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'cad-a' is used 2 times", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxProfile", StringComparison.Ordinal) && f.Contains("everything", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("SourceAgencyIds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PseudonymKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_short_pseudonym_key_When_validated_Then_its_length_is_named()
    {
        var validator = new RecipientKeyValidator();
        var options = new Hub.Routing.Recipients.RecipientsOptions();
        options.Recipients.Add(new Hub.Routing.Recipients.RecipientOptions { Id = "team", PseudonymKey = Convert.ToBase64String(new byte[16]) });

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("16 bytes; at least 32 are required", result.FailureMessage, StringComparison.Ordinal);
    }

    private static List<string> CollectFailures(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex)
        {
            return [.. ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }
}
