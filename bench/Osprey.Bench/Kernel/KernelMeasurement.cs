namespace Osprey.Bench.Kernel;

/// <summary>
/// One kernel benchmark's best run on each CPU count: microseconds per operation (for those
/// measured from outside, per run).
/// </summary>
internal sealed record KernelMeasurement(KernelBenchmark Benchmark, IReadOnlyDictionary<int, double> Microseconds)
{
    /// <summary>Why there are no figures at all (say, the suite is not built yet); null when there are.</summary>
    public string? Unavailable { get; init; }

    /// <summary>A suite's failed runs: the CPU count and the exit status of the first failure there.</summary>
    public IReadOnlyDictionary<int, int> Failures { get; init; } = new Dictionary<int, int>();

    public static KernelMeasurement NotAvailable(KernelBenchmark benchmark, string why) =>
        new(benchmark, new Dictionary<int, double>()) { Unavailable = why };
}
