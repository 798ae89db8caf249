using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>What osprey explore and osprey replay run, and how far explore searches.</summary>
public sealed record ExploreSettings
{
    public required string Program { get; init; }

    /// <summary>argv, the program's name first.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    public int Cpus { get; init; } = 2;

    public PreemptionPoints Points { get; init; } = PreemptionPoints.SystemCalls | PreemptionPoints.Atomics;

    /// <summary>The most schedules to run.</summary>
    public int Schedules { get; init; } = 1000;

    /// <summary>The most forced preemptions tried systematically; random schedules after that.</summary>
    public int Bound { get; init; } = 2;

    /// <summary>Where the sampling of large deepening levels and the random schedules' seeds start.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>A run that retires this many user instructions has failed (it does not end).</summary>
    public long InstructionLimit { get; init; } = 20_000_000;

    public int MemoryMiB { get; init; } = 64;

    /// <summary>The disk image to copy for each run; null for the default image.</summary>
    public string? Disk { get; init; }

    /// <summary>Boot a kernel with kkv's planted bug (--kkv-planted-bug; teaching and tests only).</summary>
    public bool KkvPlantedBug { get; init; }
}
