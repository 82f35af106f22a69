using BenchmarkDotNet.Attributes;
using Hub.Audit.Ledger;

namespace Hub.Benchmarks.Audit;

/// <summary>
/// Ledger appends per second with group commit: 20,000 concurrent callers each append one entry through
/// <see cref="GroupCommitLedgerWriter"/> and await its durable commit. Result is time per entry (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class LedgerAppendBenchmarks
{
    private const int Entries = 20_000;
    private BenchDatabase? _database;
    private GroupCommitLedgerWriter? _writer;
    private LedgerEntryDraft[] _drafts = [];

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "sqlite";

    /// <summary><c>HUB_BENCH_ENGINES</c> (comma-separated) picks engines; both by default.</summary>
    public static IEnumerable<string> Engines() => LedgerScaleBenchmarks.Engines();

    // Synchronous setup and workload: the in-process toolchain (used on this loaded machine, where the out-of-process
    // build times out) then measures the whole awaited operation.
    [GlobalSetup]
    public void Setup()
    {
        _database = BenchDatabase.StartAsync(Engine).GetAwaiter().GetResult();
        _writer = new GroupCommitLedgerWriter(new SqlLedger(_database.Database), maxBatch: 2000);
        _drafts = [.. Enumerable.Range(0, Entries).Select(i => BenchDatabase.Draft(i, null))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database!.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "group-commit append, 20k concurrent callers")]
    public long AppendConcurrent() => AppendConcurrentAsync().GetAwaiter().GetResult();

    private async Task<long> AppendConcurrentAsync()
    {
        var entries = await Task.WhenAll(_drafts.Select(d => _writer!.AppendAsync(d, CancellationToken.None)));
        return entries.Length == Entries ? entries.Max(e => e.Sequence) : throw new InvalidOperationException("lost appends");
    }
}
