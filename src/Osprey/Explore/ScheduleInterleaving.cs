using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>
/// The choices of a forced <see cref="Schedule"/>: every preemption point continues on the
/// CPU that is running except the forced ones; a turn lasts <see cref="Quantum"/> user
/// instructions and then passes to the next CPU with work in id order; a CPU takes the head of
/// the run queue. So a schedule with nothing forced is one fixed, coarse interleaving, and
/// each forced preemption is a departure from it that the explorer chose.
///
/// It also keeps what each point offered (<see cref="Offered"/>), which is where the explorer
/// finds the next schedules to try.
/// </summary>
public sealed class ScheduleInterleaving(Schedule schedule) : IInterleaving
{
    /// <summary>Instructions a turn lasts when nothing is forced.</summary>
    public const long TurnLength = 20_000;

    private readonly Dictionary<long, ForcedPreemption> _forced = schedule.Forced.ToDictionary(f => f.Point);

    public PreemptionPoints Points => schedule.Points;

    /// <summary>The points of this run where another choice was possible, with what they offered.</summary>
    public List<OfferedPoint> Offered { get; } = [];

    /// <summary>Forced preemptions that could not be made (the CPU had nothing to run there, or nobody to yield to).</summary>
    public int Ignored { get; private set; }

    public long Quantum(int cpu) => TurnLength;

    public int NextCpu(int current, ReadOnlySpan<int> candidates)
    {
        foreach (int c in candidates)
        {
            if (c > current)
                return c;
        }
        return candidates[0];
    }

    public int AtPoint(long index, PointKind kind, int current, ReadOnlySpan<int> candidates, bool canYield)
    {
        int mask = 0;
        foreach (int c in candidates)
            mask |= 1 << c;
        Offered.Add(new OfferedPoint(index, kind, mask, canYield));
        if (!_forced.TryGetValue(index, out ForcedPreemption? f))
            return IInterleaving.Continue;
        if (f.Cpu is { } cpu)
        {
            if ((mask & (1 << cpu)) != 0)
                return cpu;
        }
        else if (canYield)
        {
            return IInterleaving.YieldThread;
        }
        Ignored++;
        return IInterleaving.Continue;
    }

    public int PickRunnable(int count) => 0;
}
