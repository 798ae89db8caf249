namespace Osprey.Kernel.Sched;

/// <summary>
/// The scheduling choices Pebbles' misbehave(mode) selects, so that a thread library's tests
/// can be run under schedules other than the usual one. A task's mode belongs to each of its
/// threads (misbehave sets it on all of them); threads and processes it creates inherit it,
/// and exec keeps it, so a harness can set a mode and exec a test. Every decision a mode
/// changes is made in <see cref="Scheduler"/>.
/// </summary>
public enum SchedulingMode
{
    /// <summary>Round robin: a slice of one tick; a new thread waits at the back of the run queue while its creator runs on.</summary>
    Normal = 0,

    /// <summary>The thread gives up its CPU at every return from a system call.</summary>
    YieldAtSystemCallReturn = 1,

    /// <summary>A new thread or process runs first: its creator yields to it at once.</summary>
    NewThreadFirst = 2,

    /// <summary>A thread that wakes (or is made runnable) goes to the front of the run queue instead of the back.</summary>
    WokenThreadFirst = 3,

    /// <summary>The shortest slice: the thread is preempted after every <see cref="Scheduler.ShortSlice"/> user instructions.</summary>
    ShortSlices = 4,
}
