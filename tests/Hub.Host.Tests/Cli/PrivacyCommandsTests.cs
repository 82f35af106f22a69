using System.Text;
using Hub.Deidentification.Profiles;
using Hub.Testing;

namespace Hub.Host.Tests.Cli;

/// <summary><c>hub privacy zip3-list</c>, run as a process on the Census 2020 ZCTA table written as data.census.gov exports it.</summary>
public sealed class PrivacyCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-privacy-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Given_Census2020Export_When_Zip3ListRun_Then_ItWritesTheShipped2020ListAndPrintsTheChecksums()
    {
        var census = Path.Combine(_folder, "DECENNIALDHC2020.P1-Data.csv");
        await File.WriteAllTextAsync(census, CensusExport(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var output = Path.Combine(_folder, "zip3-restricted-2020.json");
        var shipped = ProfileCatalog.EmbeddedZip3Lists().Single(l => l.Version == "2020");

        var (exit, stdout, stderr) = await HubProcess.RunAsync(_folder, "privacy", "zip3-list", "--census", census, "--version", "2020", "--source", shipped.Source, "--out", output);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("33,774 ZCTAs, population 334,726,586, 894 prefixes with ZCTAs (1 other rows skipped); restricted 18 (036 059 102 202", stderr, StringComparison.Ordinal);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(ExternalData.RepositoryRoot, "src", "Deidentification", "Profiles", "zip3-restricted-2020.json")),
            await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Given_ExportWithBadRows_When_Zip3ListRun_Then_Exit1WithEveryLineAndNoFile()
    {
        var census = Path.Combine(_folder, "broken.csv");
        await File.WriteAllTextAsync(census, "\"GEO_ID\",\"NAME\",\"P1_001N\"\n\"860Z200US00601\",\"ZCTA5 00601\",\"1x\"\n\"860Z200USABCDE\",\"ZCTA5 ABCDE\",\"5\"\n");
        var output = Path.Combine(_folder, "list.json");

        var (exit, _, stderr) = await HubProcess.RunAsync(_folder, "privacy", "zip3-list", "--census", census, "--version", "2020", "--out", output);

        Assert.Equal(1, exit);
        Assert.Contains("broken.csv line 2: population '1x' of ZCTA 00601 is not a whole number", stderr, StringComparison.Ordinal);
        Assert.Contains("broken.csv line 3: '860Z200USABCDE' is not a five-digit ZCTA", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>The repository's <c>zcta,population</c> table written back in the export's layout, with its label row and a nation row.</summary>
    private static string CensusExport()
    {
        var table = Path.Combine(ExternalData.RepositoryRoot, "tests", "Hub.Deidentification.Tests", "TestData", "Census", "zcta-population-2020.csv");
        var csv = new StringBuilder("\"GEO_ID\",\"NAME\",\"P1_001N\",\"Tota\",\n\"Geography\",\"Geographic Area Name\",\" !!Total\",\n\"0100000US\",\"United States\",\"331449281\",\n");
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var (zcta, population) = (line[..5], line[6..]);
            csv.Append("\"860Z200US").Append(zcta).Append("\",\"ZCTA5 ").Append(zcta).Append("\",\"").Append(population).Append("\",\n");
        }

        return csv.ToString();
    }
}
