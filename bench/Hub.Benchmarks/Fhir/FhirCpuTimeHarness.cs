using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Adapters.Fhir.Model;

namespace Hub.Benchmarks.Fhir;

/// <summary>
/// <c>fhir-cpu [rounds] [operations]</c>: the FhirBundleBenchmarks operations timed by this thread's CPU time
/// (<c>CLOCK_THREAD_CPUTIME_ID</c>), best of several rounds, with allocations per operation and the load average. On the
/// shared VM, wall time swings several-fold with other builds; the thread's CPU time and the ratio to the
/// JsonDocument baseline of the same run stay close to what an idle machine shows.
/// </summary>
public static class FhirCpuTimeHarness
{
    /// <summary>True when the arguments ask for this harness.</summary>
    public static bool Handles(string[] args) => args is ["fhir-cpu", ..];

    /// <summary>Runs the harness and prints one line per operation.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var operations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3000;
        var bundle = Encoding.UTF8.GetBytes(FhirBundleBenchmarks.EdBundle(7));
        var feed = new FeedOptions { Id = "bench-ed", Kind = FeedKind.Fhir, AgencyId = "hospital", TimeZone = "America/New_York" };
        var reader = new FhirFeedReaderFactory().CreateReader(feed);
        var source = new SourceDocument("http", new string('0', 64), DateTimeOffset.UnixEpoch);
        var parsed = FhirJson.TryParse(bundle, out _)!;
        (string Name, Func<int> Operation)[] cases =
        [
            ("JsonDocumentParse", () =>
            {
                using var document = JsonDocument.Parse(bundle);
                return document.RootElement.GetProperty("entry").GetArrayLength();
            }),
            ("ParseOnly", () => FhirJson.TryParse(bundle, out _) is null ? 0 : 1),
            ("ParseSourceGenerated", () => FhirJson.TryParse(bundle, FhirReferenceJsonContext.Default.Resource, out _) is null ? 0 : 1),
            ("ResolveClassifyOnly", () => reader.ReadResource(parsed, source).Count),
            ("ParseResolveClassify", () => reader.ReadResource(FhirJson.TryParse(bundle, out _)!, source).Count),
        ];

        foreach (var (_, operation) in cases)
        {
            for (var i = 0; i < 2000; i++)
            {
                operation();
            }
        }

        var best = cases.ToDictionary(c => c.Name, _ => (Cpu: double.MaxValue, Wall: double.MaxValue, Allocated: 0.0));
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, operation) in cases)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var cpu = ThreadCpuMicroseconds();
                var wall = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    operation();
                }

                var wallUs = Stopwatch.GetElapsedTime(wall).TotalMicroseconds / operations;
                var cpuUs = (ThreadCpuMicroseconds() - cpu) / operations;
                var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)operations;
                var previous = best[name];
                best[name] = (Math.Min(previous.Cpu, cpuUs), Math.Min(previous.Wall, wallUs), bytes);
            }
        }

        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        var baseline = best["JsonDocumentParse"].Cpu;
        foreach (var (name, (cpu, wall, allocated)) in best)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} cpu {cpu,7:F2} us ({1e6 / cpu,7:F0}/s, {cpu / baseline:F2}x JsonDocument)  best wall {wall,7:F2} us  {allocated,7:F0} B/op"));
        }

        return 0;
    }

    private static double ThreadCpuMicroseconds()
    {
        var nanoseconds = ThreadCpuClock.Nanoseconds();
        return nanoseconds > 0
            ? nanoseconds / 1e3
            : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    }
}
