namespace Osprey.Bench.Guest;

/// <summary>A benchmark could not be built, run or trusted (say, two emulators disagreed): exit status 1.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message);
