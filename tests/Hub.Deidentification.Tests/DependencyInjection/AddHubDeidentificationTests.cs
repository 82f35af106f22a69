using Hub.Deidentification.DependencyInjection;
using Hub.Deidentification.Pseudonyms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Deidentification.Tests.DependencyInjection;

public sealed class AddHubDeidentificationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddHubDeidentification(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    private static string Key(int bytes) => Convert.ToBase64String([.. Enumerable.Range(0, bytes).Select(i => (byte)i)]);

    [Fact]
    public void Given_ValidSettings_When_Resolved_Then_ServiceAndTokenizerWork()
    {
        using var provider = Build(new() { ["Hub:Privacy:TokenKeyBase64"] = Key(32), ["Hub:Privacy:RestrictedZip3ListVersion"] = "2000" });

        var service = provider.GetRequiredService<IDisclosureService>();
        var tokenizer = provider.GetRequiredService<IPersonTokenizer>();
        var catalog = provider.GetRequiredService<Hub.Deidentification.Profiles.ProfileCatalog>();

        Assert.NotNull(service);
        Assert.Equal("2000", catalog.DefaultZip3List.Version);
        Assert.NotEmpty(tokenizer.Tokenize(new Hub.Contracts.Model.SubjectIdentity { Phone = "4135550100" }, null));
    }

    [Fact]
    public void Given_BadSettings_When_OptionsValidated_Then_EveryFailureListed()
    {
        using var provider = Build(new()
        {
            ["Hub:Privacy:TokenKeyBase64"] = Key(16),
            ["Hub:Privacy:ProfileSource"] = "database",
            ["Hub:Privacy:RestrictedZip3ListVersion"] = "1990",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HubPrivacyOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("decodes to 16 bytes", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ProfileSource must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_FolderWithBrokenRuleFile_When_OptionsValidated_Then_RuleProblemsListed()
    {
        var folder = Directory.CreateTempSubdirectory("hub-privacy-");
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "Profiles", "broken-profile.json"), Path.Combine(folder.FullName, "broken-profile.json"));
            using var provider = Build(new()
            {
                ["Hub:Privacy:TokenKeyBase64"] = Key(32),
                ["Hub:Privacy:ProfileSource"] = "folder",
                ["Hub:Privacy:ProfileFolder"] = folder.FullName,
            });

            var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HubPrivacyOptions>>().Value);

            Assert.Contains(ex.Failures, f => f.StartsWith("broken-profile.json: bad version", StringComparison.Ordinal));
            Assert.True(ex.Failures.Count() > 20);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Given_MissingKey_When_OptionsValidated_Then_Fails()
    {
        using var provider = Build([]);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HubPrivacyOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("TokenKeyBase64 is required", StringComparison.Ordinal));
    }
}
