namespace Osprey.Kernel.Sched;

/// <summary>What <see cref="Scheduler.WakeDescheduled"/> (Pebbles' make_runnable) did.</summary>
public enum WakeResult
{
    /// <summary>The thread was descheduled (or about to be) and is runnable now.</summary>
    Woken,
    /// <summary>No live thread has that tid.</summary>
    NoSuchThread,
    /// <summary>The thread exists but is not in deschedule.</summary>
    NotDescheduled,
}
