using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Insight;

/// <summary>One thread's wait for a contended lock, from <see cref="Tracer.Wait"/> to <see cref="End"/>: a slice on the waiter's track.</summary>
public sealed class LockWait
{
    private readonly Tracer _tracer;

    internal LockWait(Tracer tracer, KThread waiter, string lockName, string holder, long start)
    {
        _tracer = tracer;
        Waiter = waiter;
        Lock = lockName;
        Holder = holder;
        Start = start;
    }

    public KThread Waiter { get; }
    public string Lock { get; }
    public string Holder { get; }
    public long Start { get; }

    /// <summary>The lock is the waiter's now: the slice ends.</summary>
    public void End() => _tracer.EndWait(this);
}
