using System.Text.Json;

namespace Hub.Host.Tests.Cli;

/// <summary>A temporary folder with a hub configuration: one CAD feed (the township test profile), one recipient, its agreement.</summary>
internal sealed class CliConfiguration : IDisposable
{
    public CliConfiguration()
    {
        Directory.CreateDirectory(Folder);
        var profile = Path.Combine(AppContext.BaseDirectory, "TestData", "Cad", "township-pd.profile.json");
        File.WriteAllText(ConfigFile, JsonSerializer.Serialize(new
        {
            Hub = new
            {
                Database = new { ConnectionString = $"Data Source={Path.Combine(Folder, "hub.db")}" },
                Feeds = new[] { new { Id = "township-pd", Kind = "Cad", AgencyId = "township-police", TimeZone = "America/New_York", CadProfileFile = profile } },
                Recipients = new[]
                {
                    new
                    {
                        Id = "montco-post", Name = "County outreach", Kind = "outreach-team", Profile = "identified-outreach",
                        PseudonymKey = Convert.ToBase64String(new byte[32]),
                        Jurisdiction = new { CountyFips = new[] { "42091" } },
                    },
                },
                Agreements = new[]
                {
                    new { Id = "dsa-1", SourceAgencyIds = new[] { "township-police" }, RecipientId = "montco-post", MaxProfile = "identified-outreach", Purpose = "PUBHLTH" },
                },
            },
        }));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "hub-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public string ConfigFile => Path.Combine(Folder, "hub.json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
