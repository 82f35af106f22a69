using System.Xml;
using BenchmarkDotNet.Attributes;
using Hub.Adapters.Feeds;
using Hub.Adapters.Nemsis;

namespace Hub.Benchmarks.Nemsis;

/// <summary>
/// NEMSIS read + map + classify, single-threaded, over 1,000 generated PCRs of about 13 KB held in memory
/// (target: 15,000 PCRs/s). The bare XmlReader scan of the same bytes is the baseline.
/// </summary>
[MemoryDiagnoser]
public class NemsisReaderBenchmarks
{
    private const int Records = 1000;
    private byte[] document = [];
    private NemsisFeedReader reader = null!;
    private readonly SourceDocument source = new("bench.xml", new string('0', 64), DateTimeOffset.UnixEpoch);

    [GlobalSetup]
    public void Setup()
    {
        document = NemsisRecordGenerator.Document(Records);
        reader = new NemsisFeedReader(new FeedOptions { Id = "bench", Kind = FeedKind.Nemsis, AgencyId = "bench", Nemsis = new NemsisFeedSettings { ProgressInterval = 0 } });
    }

    /// <summary>Baseline: an XmlReader with the same secure settings reading every node, nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int BareXmlReaderScan()
    {
        using var stream = new MemoryStream(document, writable: false);
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true });
        var elements = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                elements++;
            }
        }

        return elements;
    }

    /// <summary>Read + map + classify: every PCR becomes an outcome (an event for each overdose).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int ReadMapClassify()
    {
        using var stream = new MemoryStream(document, writable: false);
        var count = 0;
        foreach (var outcome in reader.Read(stream, source))
        {
            if (outcome.Kind != Contracts.Model.RecordOutcomeKind.Rejected)
            {
                count++;
            }
        }

        return count == Records ? count : throw new InvalidOperationException($"expected {Records} records, read {count}");
    }
}
