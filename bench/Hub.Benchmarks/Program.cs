using BenchmarkDotNet.Running;
using Hub.Benchmarks;
using Hub.Benchmarks.Cad;

// Whole-file harnesses (peak memory with /usr/bin/time -v) run without BenchmarkDotNet; see docs/performance/.
if (CadFileHarness.Handles(args))
{
    return await CadFileHarness.RunAsync(args).ConfigureAwait(false);
}

// Per-thread CPU time of the FHIR Bundle pipeline: robust on a shared machine, where wall time is not.
if (Hub.Benchmarks.Fhir.FhirCpuTimeHarness.Handles(args))
{
    return Hub.Benchmarks.Fhir.FhirCpuTimeHarness.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkAssembly).Assembly).Run(args);
return 0;
