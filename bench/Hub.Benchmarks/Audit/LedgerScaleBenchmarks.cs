using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hub.Audit;
using Hub.Audit.Accounting;
using Hub.Audit.Ledger;
using Microsoft.Extensions.Options;

namespace Hub.Benchmarks.Audit;

/// <summary>
/// Over a 1,000,000-entry ledger: <c>hub audit verify</c> (re-walk and re-hash every entry, check a checkpoint) and
/// the accounting of disclosures for one person (60 disclosures among 100,000 disclosures of other people).
/// </summary>
/// <remarks>
/// Filling a million entries takes minutes on a loaded machine, longer than the in-process toolchain's default
/// 5-minute limit, hence <see cref="LongInProcessConfig"/>. <c>HUB_BENCH_ENGINES</c> (comma-separated) picks engines.
/// </remarks>
[Config(typeof(LongInProcessConfig))]
public class LedgerScaleBenchmarks
{
    private const int Entries = 1_000_000;
    private const string Person = "tok-tracked";
    private static readonly string[] Pseudonyms = [Person, "tok-tracked-ed"];
    private BenchDatabase? _database;
    private LedgerVerifier? _verifier;
    private DisclosureAccounting? _accounting;
    private string _checkpoints = "";

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "sqlite";

    public static IEnumerable<string> Engines() =>
        (Environment.GetEnvironmentVariable("HUB_BENCH_ENGINES") ?? "sqlite,postgresql").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _database = await BenchDatabase.StartAsync(Engine);
        await _database.FillAsync(Entries, Person, 60);
        _checkpoints = Directory.CreateTempSubdirectory("hub-bench-checkpoints-").FullName;
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var options = Options.Create(new AuditOptions
        {
            CheckpointFolder = _checkpoints,
            CheckpointSigningKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
            PayloadEncryptionKey = Convert.ToBase64String(new byte[32]),
        });
        var ledger = new SqlLedger(_database.Database);
        await new LedgerCheckpointer(ledger, options, TimeProvider.System).WriteCheckpointAsync(CancellationToken.None);
        _verifier = new LedgerVerifier(ledger, options);
        _accounting = new DisclosureAccounting(_database.Database, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database!.Dispose();
        Directory.Delete(_checkpoints, recursive: true);
    }

    [Benchmark(Description = "verify 1,000,000 entries")]
    public LedgerVerificationResult Verify() => VerifyAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "accounting for one person, 1,000,000 entries")]
    public AccountingReport Accounting() => AccountingAsync().GetAwaiter().GetResult();

    private async Task<LedgerVerificationResult> VerifyAsync()
    {
        var result = await _verifier!.VerifyAsync(CancellationToken.None);
        return result.Intact && result.EntriesChecked == Entries ? result : throw new InvalidOperationException(result.Reason);
    }

    private async Task<AccountingReport> AccountingAsync()
    {
        var report = await _accounting!.BuildAsync(Pseudonyms, TimeProvider.System.GetUtcNow().AddMinutes(1), new Dictionary<string, RecipientContact>(), CancellationToken.None);
        return report.Disclosures >= 60 ? report : throw new InvalidOperationException("accounting lost disclosures");
    }
}

/// <summary>A short in-process job with a 40-minute limit (the 1,000,000-entry setup is slow on a shared machine).</summary>
public sealed class LongInProcessConfig : ManualConfig
{
    public LongInProcessConfig() => AddJob(Job.ShortRun.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(40), logOutput: true)));
}
