namespace Osprey.Kernel.Sched;

/// <summary>
/// The choices of a deterministic run (see <see cref="Interleaver"/>): how long each CPU runs
/// when it gets the machine, which CPU runs next, what happens at a preemption point, and which
/// runnable thread a CPU takes. Every answer must be a function of the questions asked so far
/// (a seed, a schedule), never of the host, so that a run can be repeated.
/// </summary>
public interface IInterleaving
{
    /// <summary>Continue on the CPU that is running (an answer of <see cref="AtPoint"/>).</summary>
    public const int Continue = -2;

    /// <summary>Preempt the running thread on its own CPU (an answer of <see cref="AtPoint"/>, honoured where a thread can yield).</summary>
    public const int YieldThread = -1;

    /// <summary>Which kinds of point <see cref="AtPoint"/> is asked about.</summary>
    PreemptionPoints Points { get; }

    /// <summary>How many user instructions CPU <paramref name="cpu"/> may run in the turn it is being given.</summary>
    long Quantum(int cpu);

    /// <summary>
    /// A turn has ended on CPU <paramref name="current"/>: the next CPU to run, one of
    /// <paramref name="candidates"/> (CPUs with something to do; never empty).
    /// </summary>
    int NextCpu(int current, ReadOnlySpan<int> candidates);

    /// <summary>
    /// Preemption point number <paramref name="index"/> (counted from 0 over the run) of kind
    /// <paramref name="kind"/> on CPU <paramref name="current"/>: <see cref="Continue"/>,
    /// <see cref="YieldThread"/> (only when <paramref name="canYield"/>), or a CPU of
    /// <paramref name="candidates"/> to run instead.
    /// </summary>
    int AtPoint(long index, PointKind kind, int current, ReadOnlySpan<int> candidates, bool canYield);

    /// <summary>Which of <paramref name="count"/> runnable threads (0 = the head of the run queue) a CPU takes.</summary>
    int PickRunnable(int count);
}
