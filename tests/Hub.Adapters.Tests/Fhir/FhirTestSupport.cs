using System.Text;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;

namespace Hub.Adapters.Tests.Fhir;

internal static class FhirTestSupport
{
    public static readonly DateTimeOffset Received = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static FeedOptions Feed(string scope = "opioid", bool keepNarrative = false) =>
        new() { Id = "ed-test", Kind = FeedKind.Fhir, AgencyId = "hospital-a", TimeZone = "America/New_York", DefinitionScope = scope, KeepNarrative = keepNarrative };

    public static FhirFeedReader Reader(string scope = "opioid", bool keepNarrative = false) =>
        new FhirFeedReaderFactory().CreateReader(Feed(scope, keepNarrative));

    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", "Fhir", .. parts]);

    public static SourceDocument Source(string name, string? path = null) => new(name, new string('a', 64), Received, path);

    public static async Task<List<RecordOutcome>> ReadFileAsync(string path, string scope = "opioid", FhirReadStatistics? statistics = null)
    {
        var reader = Reader(scope);
        var stream = File.OpenRead(path);
        await using (stream)
        {
            return await ToListAsync(reader.ReadAsync(stream, Source(Path.GetFileName(path)), statistics, CancellationToken.None));
        }
    }

    public static async Task<List<RecordOutcome>> ReadTextAsync(string json, string name = "input.json", string scope = "opioid", FhirReadStatistics? statistics = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await ToListAsync(Reader(scope).ReadAsync(stream, Source(name), statistics, CancellationToken.None));
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
