using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hub.Audit.Ledger;
using Hub.Audit.Storage;

namespace Hub.Benchmarks.Audit;

/// <summary>
/// Databases for the audit benchmarks: an SQLite file (WAL, synchronous=FULL) and a throwaway PostgreSQL 15 cluster
/// started with initdb/pg_ctl under the postgres account, with its durable defaults (fsync on, synchronous_commit on).
/// Set HUB_BENCH_PG to a connection string to use an existing server instead.
/// </summary>
internal sealed class BenchDatabase : IDisposable
{
    private readonly string _folder;
    private readonly string? _pgData;
    private readonly string? _runAs;

    private BenchDatabase(HubDatabase database, string folder, string? pgData, string? runAs)
    {
        Database = database;
        _folder = folder;
        _pgData = pgData;
        _runAs = runAs;
    }

    public HubDatabase Database { get; }

    public static async Task<BenchDatabase> StartAsync(string engine)
    {
        var folder = Directory.CreateTempSubdirectory("hub-bench-audit-").FullName;
        if (engine == "sqlite")
        {
            var sqlite = HubDatabase.Create(new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "hub.db")}" });
            await sqlite.MigrateAsync(CancellationToken.None);
            return new BenchDatabase(sqlite, folder, null, null);
        }

        var existing = Environment.GetEnvironmentVariable("HUB_BENCH_PG");
        if (!string.IsNullOrEmpty(existing))
        {
            var external = HubDatabase.Create(new DatabaseOptions { Provider = "postgresql", ConnectionString = existing });
            await external.MigrateAsync(CancellationToken.None);
            return new BenchDatabase(external, folder, null, null);
        }

        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "initdb")));
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var data = Path.Combine(folder, "pg");
        if (runAs is not null)
        {
            Run("chown", ["-R", runAs, folder], null);
        }

        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"], runAs);
        var port = FreePort();
        Run(Path.Combine(bin, "pg_ctl"), ["start", "-D", data, "-l", Path.Combine(folder, "pg.log"), "-w", "-o",
            string.Create(CultureInfo.InvariantCulture, $"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c shared_buffers=256MB -c max_wal_size=4GB")], runAs);
        var connection = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Maximum Pool Size=50");
        var database = HubDatabase.Create(new DatabaseOptions { Provider = "postgresql", ConnectionString = connection });
        await database.MigrateAsync(CancellationToken.None);
        return new BenchDatabase(database, folder, data, runAs);
    }

    /// <summary>Appends <paramref name="count"/> realistic entries in large transactions; every tenth is a disclosure about one of 100,000 people.</summary>
    public async Task FillAsync(int count, string trackedPerson, int trackedDisclosures)
    {
        var ledger = new SqlLedger(Database);
        const int batch = 5000;
        var every = Math.Max(1, count / trackedDisclosures);
        for (var start = 0; start < count; start += batch)
        {
            var drafts = Enumerable.Range(start, Math.Min(batch, count - start))
                .Select(i => i % every == 0 ? Draft(i, trackedPerson) : Draft(i, null)).ToArray();
            await ledger.AppendAsync(drafts, CancellationToken.None);
        }
    }

    public static LedgerEntryDraft Draft(int i, string? person) => i % 10 == 0 || person is not null
        ? new LedgerEntryDraft
        {
            Actor = "hub",
            Action = LedgerActions.Disclosed,
            CorrelationId = Guid.NewGuid().ToString(),
            RecipientId = string.Create(CultureInfo.InvariantCulture, $"recipient-{i % 40}"),
            AgreementId = "dsa-2026-01",
            Purpose = "outreach",
            LegalBasis = "45 CFR 164.512(b)",
            Profile = "identified-outreach@2026-11-01",
            PersonPseudonym = person ?? string.Create(CultureInfo.InvariantCulture, $"tok-{i % 100_000:D6}"),
            Fields = ["incident.time", "incident.location", "incident.substances", "patient.name", "patient.phone"],
            PayloadSha256 = "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
        }
        : new LedgerEntryDraft
        {
            Actor = "ems-county",
            Action = LedgerActions.Detected,
            CorrelationId = Guid.NewGuid().ToString(),
            FeedId = "ems-county",
            DetailsJson = string.Create(CultureInfo.InvariantCulture, $$"""{"definition":"nemsis-opioid@3.5","record":{{i}}}"""),
        };

    public void Dispose()
    {
        (Database as IDisposable)?.Dispose();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_pgData is not null)
        {
            var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "pg_ctl")));
            Run(Path.Combine(bin, "pg_ctl"), ["stop", "-D", _pgData, "-m", "fast", "-w"], _runAs);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, string[] arguments, string? runAs)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {output.Result}{error}");
        }
    }
}
