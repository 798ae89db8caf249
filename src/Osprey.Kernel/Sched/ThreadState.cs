namespace Osprey.Kernel.Sched;

public enum ThreadState
{
    /// <summary>Made but not yet given to the scheduler.</summary>
    Embryo,
    Runnable,
    Running,
    /// <summary>Asleep on a channel or until a tick (xv6's sleep); kill interrupts it.</summary>
    Sleeping,
    /// <summary>Waiting for a kernel lock or semaphore (<see cref="KThread.BlockedOn"/>); nothing interrupts it.</summary>
    Blocked,
    /// <summary>Stopped by Pebbles' deschedule until a make_runnable names it (or kill interrupts it).</summary>
    Descheduled,
    /// <summary>Finished; its host thread has ended or is ending.</summary>
    Dead,
}
