namespace Osprey.Bench.Kernel;

/// <summary>One kernel benchmark's best run on each CPU count: microseconds per operation (for boot, per boot).</summary>
internal sealed record KernelMeasurement(KernelBenchmark Benchmark, IReadOnlyDictionary<int, double> Microseconds);
