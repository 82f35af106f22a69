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

    [Params("sqlite", "postgresql")]
    public string Engine { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchDatabase.StartAsync(Engine);
        _writer = new GroupCommitLedgerWriter(new SqlLedger(_database.Database), maxBatch: 2000);
        _drafts = [.. Enumerable.Range(0, Entries).Select(i => BenchDatabase.Draft(i, null))];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _writer!.DisposeAsync();
        _database!.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "group-commit append, 20k concurrent callers")]
    public Task<LedgerEntry[]> AppendConcurrent() => Task.WhenAll(_drafts.Select(d => _writer!.AppendAsync(d, CancellationToken.None)));
}
