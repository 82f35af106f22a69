using System.Globalization;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using CsvHelper.Configuration;
using Hub.Adapters.Cad;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Benchmarks.Cad;

/// <summary>
/// Read + map + classify of a 15-column CAD CSV (100,000 rows in memory), against CsvHelper alone reading the same
/// file into records. Target: 250,000 rows/s single-threaded (docs/performance/cad.md).
/// </summary>
[MemoryDiagnoser]
public class CadReadBenchmark
{
    /// <summary>Rows per operation: divide by the mean time for rows per second.</summary>
    public const int Rows = 100_000;

    private byte[] file = [];
    private IFeedReader reader = null!;
    private readonly SourceDocument source = new("bench.csv", "00", DateTimeOffset.UnixEpoch);

    /// <summary>Generates the file and the reader once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        file = CadSyntheticFile.Bytes(Rows);
        reader = new CadFeedReaderFactory().Create(CadSyntheticFile.Feed());
    }

    /// <summary>The hub's CAD reader: every row read, mapped, classified into an outcome.</summary>
    [Benchmark]
    public async Task<int> CadFeedReader_ReadMapClassify()
    {
        var overdose = 0;
        using var stream = new MemoryStream(file, writable: false);
        await foreach (var outcome in reader.ReadAsync(stream, source, CancellationToken.None))
        {
            if (outcome.Kind == RecordOutcomeKind.Overdose)
            {
                overdose++;
            }
        }

        return overdose;
    }

    /// <summary>Baseline: CsvHelper alone, GetRecords into a 15-string record (the issue's ~440,000 rows/s).</summary>
    [Benchmark(Baseline = true)]
    public int CsvHelper_GetRecords()
    {
        using var stream = new MemoryStream(file, writable: false);
        using var text = new StreamReader(stream);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture));
        var count = 0;
        foreach (var row in csv.GetRecords<CadCsvRow>())
        {
            if (row.call_type.Length > 0)
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>The synthetic layout as a plain record for the CsvHelper baseline.</summary>
#pragma warning disable CA1707, IDE1006 // property names match the CSV header for CsvHelper's automatic mapping
public sealed class CadCsvRow
{
    public string incident_id { get; set; } = "";
    public string received_at { get; set; } = "";
    public string dispatched_at { get; set; } = "";
    public string call_type { get; set; } = "";
    public string final_call_type { get; set; } = "";
    public string description { get; set; } = "";
    public string block_address { get; set; } = "";
    public string city { get; set; } = "";
    public string zip { get; set; } = "";
    public string latitude { get; set; } = "";
    public string longitude { get; set; } = "";
    public string beat { get; set; } = "";
    public string disposition { get; set; } = "";
    public string priority { get; set; } = "";
    public string sensitive { get; set; } = "";
}
#pragma warning restore CA1707, IDE1006
