using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using CsvHelper;
using CsvHelper.Configuration;
using Hub.SampleData.Feeds;

namespace Hub.SampleData.Tests.Feeds;

/// <summary>A generated sample set in a temp folder, parsed back with independent readers (XDocument, JsonDocument, CsvHelper).</summary>
public sealed class GeneratedFeeds : IDisposable
{
    public static readonly XNamespace Nemsis = "http://www.nemsis.org";

    public GeneratedFeeds(SyntheticFeedOptions options)
    {
        Options = options;
        Folder = Path.Combine(Path.GetTempPath(), "hub-samples-tests-" + Guid.NewGuid().ToString("N"));
        Summary = new SyntheticFeedGenerator(options).Generate(Folder);
        Truth = ReadCsv(SyntheticFeedGenerator.TruthFile);
        Cad = ReadCsv(SyntheticFeedGenerator.CadFile);
        Pcrs = XDocument.Load(PathOf(SyntheticFeedGenerator.NemsisFile)).Descendants(Nemsis + "PatientCareReport").ToList();
        Fhir = SyntheticFeedGenerator.FhirResourceTypes.ToDictionary(
            t => t,
            t => File.ReadAllLines(PathOf($"{SyntheticFeedGenerator.FhirNdjsonFolder}/{t}.ndjson")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList());
    }

    public SyntheticFeedOptions Options { get; }

    public string Folder { get; }

    public GenerationSummary Summary { get; }

    public List<Dictionary<string, string>> Truth { get; }

    public List<Dictionary<string, string>> Cad { get; }

    public List<XElement> Pcrs { get; }

    public Dictionary<string, List<JsonElement>> Fhir { get; }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public static string Value(XElement pcr, string element) =>
        pcr.Descendants(Nemsis + element).FirstOrDefault()?.Value ?? "";

    public static string RecordId(XElement pcr) => Value(pcr, "eRecord.01");

    public List<Dictionary<string, string>> ReadCsv(string relative)
    {
        using var reader = new StreamReader(PathOf(relative));
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            Assert.Equal(header.Length, csv.Parser.Count);
            rows.Add(header.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        }

        return rows;
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

/// <summary>The default sample set, a bit larger so every link kind occurs.</summary>
public sealed class DefaultFeedsFixture() : IDisposable
{
    public GeneratedFeeds Feeds { get; } = new(new SyntheticFeedOptions
    {
        Seed = 42,
        EmsCount = 200,
        EdCount = 120,
        CadCount = 150,
        OverdoseRate = 0.35,
        ConsentDenyRate = 0.1,
        Part2LabelRate = 0.1,
    });

    public void Dispose() => Feeds.Dispose();
}
