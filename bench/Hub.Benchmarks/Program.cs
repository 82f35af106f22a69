using BenchmarkDotNet.Running;
using Hub.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkAssembly).Assembly).Run(args);
