namespace Hub.Benchmarks;

/// <summary>Marks the benchmark assembly for BenchmarkSwitcher.</summary>
public static class BenchmarkAssembly;
