using Hub.SampleData.Feeds;

namespace Hub.SampleData.Tests.Feeds;

public sealed class DeterminismTests
{
    private static readonly SyntheticFeedOptions Small = new() { Seed = 7, EmsCount = 40, EdCount = 25, CadCount = 30, ConsentDenyRate = 0.2, Part2LabelRate = 0.2 };

    [Fact]
    public void Given_the_same_seed_When_generated_twice_Then_every_file_is_byte_identical()
    {
        using var first = new GeneratedFeeds(Small);
        using var second = new GeneratedFeeds(Small);

        var files = Directory.GetFiles(first.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first.Folder, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(second.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second.Folder, f)).Order(StringComparer.Ordinal));
        Assert.True(files.Count > 10);
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(first.PathOf(file)).AsSpan().SequenceEqual(File.ReadAllBytes(second.PathOf(file))), file);
        }

        Assert.Equal(files.Order(StringComparer.Ordinal), first.Summary.Files.Select(f => f.Replace('/', Path.DirectorySeparatorChar)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_a_different_seed_When_generated_Then_every_feed_differs()
    {
        using var first = new GeneratedFeeds(Small);
        using var other = new GeneratedFeeds(Small with { Seed = 8 });

        foreach (var file in new[] { SyntheticFeedGenerator.NemsisFile, SyntheticFeedGenerator.CadFile, SyntheticFeedGenerator.TruthFile, SyntheticFeedGenerator.FhirNdjsonFolder + "/Patient.ndjson" })
        {
            Assert.False(File.ReadAllBytes(first.PathOf(file)).AsSpan().SequenceEqual(File.ReadAllBytes(other.PathOf(file))), file);
        }
    }

    [Fact]
    public void Given_the_streaming_writers_When_writing_as_many_records_as_Generate_Then_the_NEMSIS_output_is_identical()
    {
        using var generated = new GeneratedFeeds(Small);
        using var stream = new MemoryStream();

        var summary = new SyntheticFeedGenerator(Small).WriteNemsis(stream, Small.EmsCount);

        Assert.Equal(File.ReadAllBytes(generated.PathOf(SyntheticFeedGenerator.NemsisFile)), stream.ToArray());
        Assert.Equal(generated.Summary.EmsOverdoses, summary.EmsOverdoses);
    }

    [Fact]
    public void Given_stream_output_When_NDJSON_and_CAD_are_streamed_Then_counts_match_the_lines_written()
    {
        var generator = new SyntheticFeedGenerator(Small with { ConsentDenyRate = 0.5 });
        var streams = SyntheticFeedGenerator.FhirResourceTypes.ToDictionary(t => t, _ => (Stream)new MemoryStream());
        using var cad = new MemoryStream();

        var fhir = generator.WriteFhirNdjson(streams, 300);
        var calls = generator.WriteCadCsv(cad, 500);

        foreach (var (type, stream) in streams)
        {
            var lines = System.Text.Encoding.UTF8.GetString(((MemoryStream)stream).ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(fhir.FhirResources[type], lines.Length);
            Assert.All(lines, l => Assert.Equal(type, System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("resourceType").GetString()));
        }

        Assert.Equal(300, fhir.FhirResources["Encounter"]);
        Assert.True(fhir.FhirResources["Consent"] > 100);
        Assert.Equal(501, System.Text.Encoding.UTF8.GetString(cad.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.InRange(calls.CadOverdoses, 100, 200);
    }
}
