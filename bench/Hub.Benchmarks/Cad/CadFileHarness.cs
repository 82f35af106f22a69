using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Adapters.Feeds;
using Hub.Contracts.Model;

namespace Hub.Benchmarks.Cad;

/// <summary>
/// Console mode for the large-file run (constant memory): <c>--cad-generate PATH GIGABYTES</c> writes a synthetic file,
/// <c>--cad-file PATH</c> reads it with the CAD reader and prints rows, outcomes, rows/s and peak working set.
/// Run it under <c>/usr/bin/time -v</c> to have the kernel's own maximum resident set size as well.
/// </summary>
public static class CadFileHarness
{
    /// <summary>True when <paramref name="args"/> asks for this mode.</summary>
    public static bool Handles(string[] args) => args is ["--cad-file", _] or ["--cad-generate", _, _];

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["--cad-generate", var target, var gigabytes])
        {
            var bytes = (long)(double.Parse(gigabytes, CultureInfo.InvariantCulture) * 1024 * 1024 * 1024);
            await using var file = new StreamWriter(target, append: false, new UTF8Encoding(false), 1 << 20);
            const int Chunk = 100_000;
            long row = 0;
            while (file.BaseStream.Position < bytes)
            {
                CadSyntheticFile.Write(file, Chunk, row);
                row += Chunk;
                await file.FlushAsync().ConfigureAwait(false);
            }

            Console.WriteLine($"wrote {row:N0} rows, {new FileInfo(target).Length:N0} bytes to {target}");
            return 0;
        }

        if (args is not ["--cad-file", var path])
        {
            return 2;
        }

        var reader = new Hub.Adapters.Cad.CadFeedReaderFactory().Create(CadSyntheticFile.Feed());
        var stopwatch = Stopwatch.StartNew();
        long total = 0, overdose = 0, rejected = 0, peak = 0;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            var source = new SourceDocument(Path.GetFileName(path), "", DateTimeOffset.UnixEpoch, path);
            await foreach (var outcome in reader.ReadAsync(stream, source, CancellationToken.None).ConfigureAwait(false))
            {
                total++;
                overdose += outcome.Kind == RecordOutcomeKind.Overdose ? 1 : 0;
                rejected += outcome.Kind == RecordOutcomeKind.Rejected ? 1 : 0;
                if (total % 1_000_000 == 0)
                {
                    using var process = Process.GetCurrentProcess();
                    peak = Math.Max(peak, process.PeakWorkingSet64);
                    Console.WriteLine($"{total:N0} rows, {stopwatch.Elapsed.TotalSeconds:F1} s, working set {process.WorkingSet64 / 1048576.0:F0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB");
                }
            }
        }

        stopwatch.Stop();
        using (var process = Process.GetCurrentProcess())
        {
            peak = Math.Max(peak, process.PeakWorkingSet64);
        }

        Console.WriteLine($"rows {total:N0}, overdose {overdose:N0}, rejected {rejected:N0}, {stopwatch.Elapsed.TotalSeconds:F1} s, {total / stopwatch.Elapsed.TotalSeconds:N0} rows/s, peak working set {peak / 1048576.0:F0} MiB");
        return 0;
    }
}
