using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis;

namespace Hub.Adapters.Tests.Nemsis;

/// <summary>Builds NEMSIS feeds and reads documents for the tests.</summary>
internal static class NemsisTestSupport
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static FeedOptions Feed(string validation = "lenient", string? xsdFolder = null, string scope = "opioid", bool keepNarrative = false,
        Action<NemsisFeedSettings>? configure = null)
    {
        var settings = new NemsisFeedSettings { Validation = validation, XsdFolder = xsdFolder };
        configure?.Invoke(settings);
        return new FeedOptions
        {
            Id = "ems-test",
            Kind = FeedKind.Nemsis,
            AgencyId = "agency-test",
            TimeZone = "UTC",
            DefinitionScope = scope,
            KeepNarrative = keepNarrative,
            Nemsis = settings,
        };
    }

    public static string TestDataPath(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "Nemsis", name);

    public static List<RecordOutcome> ReadFile(string path, FeedOptions? feed = null, XmlResolver? resolver = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), feed, resolver);
    }

    public static List<RecordOutcome> ReadText(string xml, FeedOptions? feed = null, XmlResolver? resolver = null, Encoding? encoding = null)
    {
        encoding ??= new UTF8Encoding(false);
        var preamble = encoding.GetPreamble();
        var body = encoding.GetBytes(xml);
        using var stream = new MemoryStream([.. preamble, .. body]);
        return Read(stream, "synthetic.xml", feed, resolver);
    }

    public static List<RecordOutcome> Read(Stream stream, string name, FeedOptions? feed = null, XmlResolver? resolver = null)
    {
        var reader = new NemsisFeedReader(feed ?? Feed(), null, null, resolver);
        var source = new SourceDocument(name, new string('0', 64), ReceivedAt);
        return ReadAll(reader, stream, source);
    }

    public static List<RecordOutcome> ReadAll(NemsisFeedReader reader, Stream stream, SourceDocument source)
    {
        var list = new List<RecordOutcome>();
        var enumerator = reader.ReadAsync(stream, source, CancellationToken.None).GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                list.Add(enumerator.Current);
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return list;
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A minimal PCR; <paramref name="inner"/> goes inside PatientCareReport after eTimes.</summary>
    public static string Pcr(string recordNumber, string inner = "<eSituation><eSituation.11>F11.20</eSituation.11></eSituation>") => $"""
            <PatientCareReport UUID="00000000-0000-4000-8000-000000000001">
              <eRecord><eRecord.01>{recordNumber}</eRecord.01></eRecord>
              <eTimes><eTimes.01>2026-03-01T22:18:01-05:00</eTimes.01></eTimes>
              {inner}
            </PatientCareReport>
        """;

    public static string Document(params string[] pcrs) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <EMSDataSet xmlns="http://www.nemsis.org" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <Header>
        {string.Join("\n", pcrs)}
          </Header>
        </EMSDataSet>
        """;
}

/// <summary>An XmlResolver that records every request and never returns anything: proof that nothing is fetched.</summary>
internal sealed class RecordingResolver : XmlResolver
{
    public List<Uri> Requests { get; } = [];

    public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
    {
        Requests.Add(absoluteUri);
        return new MemoryStream(Encoding.UTF8.GetBytes("<!ENTITY leaked 'LEAKED'>"));
    }
}
