namespace Osprey.Kernel.Sched;

/// <summary>
/// The interleaving of <c>--seed N</c>: every choice drawn from one <see cref="DeterministicRandom"/>.
/// Quanta are roughly log-uniform between 16 and 16,383 instructions, so that some turns end within a
/// few instructions (a racy read-modify-write gets split) and others let a thread make
/// progress; the next CPU is any that has work; one point in
/// <see cref="PointOdds"/> switches CPU or thread; a CPU takes the head of the run queue three
/// times in four and a random runnable thread otherwise.
/// </summary>
public sealed class SeededInterleaving(ulong seed, PreemptionPoints points = PreemptionPoints.All) : IInterleaving
{
    public const int PointOdds = 32;

    private readonly DeterministicRandom _random = new(seed);

    public PreemptionPoints Points => points;

    public long Quantum(int cpu)
    {
        long scale = 16L << _random.Below(10);
        return scale + (long)(_random.Next() % (ulong)scale);
    }

    public int NextCpu(int current, ReadOnlySpan<int> candidates) => candidates[_random.Below(candidates.Length)];

    public int AtPoint(long index, PointKind kind, int current, ReadOnlySpan<int> candidates, bool canYield)
    {
        if (!_random.OneIn(PointOdds))
            return IInterleaving.Continue;
        int pick = _random.Below(candidates.Length + 1);
        if (pick == candidates.Length)
            return canYield ? IInterleaving.YieldThread : IInterleaving.Continue;
        return candidates[pick];
    }

    public int PickRunnable(int count) => count <= 1 || _random.Below(4) != 0 ? 0 : _random.Below(count);
}
