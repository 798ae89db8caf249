using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>A preemption point of one run: its number, its kind, the other CPUs it could have moved to (a bit each), and whether the thread could have yielded.</summary>
public readonly record struct OfferedPoint(long Index, PointKind Kind, int CpuMask, bool CanYield)
{
    /// <summary>The departures this point allows.</summary>
    public IEnumerable<ForcedPreemption> Choices(int cpus)
    {
        for (int c = 0; c < cpus; c++)
        {
            if ((CpuMask & (1 << c)) != 0)
                yield return new ForcedPreemption(Index, c);
        }
        if (CanYield)
            yield return new ForcedPreemption(Index, null);
    }
}
