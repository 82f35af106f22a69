using BenchmarkDotNet.Running;
using Hub.Benchmarks;
using Hub.Benchmarks.Cad;

// Whole-file harnesses (peak memory with /usr/bin/time -v) run without BenchmarkDotNet; see docs/performance/.
if (CadFileHarness.Handles(args))
{
    return await CadFileHarness.RunAsync(args).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkAssembly).Assembly).Run(args);
return 0;
