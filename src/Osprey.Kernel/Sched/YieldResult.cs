namespace Osprey.Kernel.Sched;

/// <summary>What <see cref="Scheduler.YieldTo"/> did.</summary>
public enum YieldResult
{
    /// <summary>The caller yielded (to the thread named, its lock's holder, or anyone).</summary>
    Yielded,
    /// <summary>No live thread has that tid.</summary>
    NoSuchThread,
    /// <summary>The thread is asleep, descheduled, or blocked on something yield cannot help along.</summary>
    NotRunnable,
}
