using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Proc;

/// <summary>
/// One thread of a process (task): its user registers, its tid, and the kernel thread that
/// runs it (Trap/TrapHandler.UserLoop). The tid is the kernel thread's id; the task's first
/// thread has the task's pid as its tid.
///
/// A thread ends at a safe point (the top of the user loop, or a blocking wait that gives up)
/// once <see cref="MustEnd"/>: it was asked to end on its own (vanish, a Pebbles fault, a
/// sibling's exec), or its whole task is being killed. The flags are set by anyone and read
/// by the thread itself; the task's lock protects its place in the task's list.
/// </summary>
public sealed class UserThread
{
    private volatile bool _ending;

    internal UserThread(Process task, int tid)
    {
        Task = task;
        Tid = tid;
    }

    public int Tid { get; }

    public Process Task { get; }

    /// <summary>The kernel thread running this thread, once it is started.</summary>
    public KThread? Kernel { get; private set; }

    public TrapFrame TrapFrame { get; } = new();

    /// <summary>The thread's swexn handler, if one is registered (only the thread itself changes it).</summary>
    public Pebbles.SwexnHandler? ExceptionHandler { get; internal set; }

    /// <summary>The signals this thread blocks, one bit each (sigprocmask); written under the task's lock.</summary>
    public int SignalMask { get; internal set; }

    /// <summary>Whether the thread is to end at its next safe point.</summary>
    public bool MustEnd => _ending || Task.Killed;

    /// <summary>This thread alone is to end (the task goes on while it has other threads).</summary>
    internal void MarkEnding() => _ending = true;

    /// <summary>Its hart stopped before an atomic (a deterministic run's preemption point): the next run executes it.</summary>
    internal bool StoppedBeforeAtomic { get; set; }

    // The task's list of threads, under the task's lock.
    internal UserThread? PrevInTask, NextInTask;

    /// <summary>The user thread of the calling kernel thread, or null (the idle loops, tests' kernel threads).</summary>
    public static UserThread? Current => KThread.Current?.Owner as UserThread;

    /// <summary>
    /// Whether the caller is a user thread that must end: a blocking wait (pipe, console, wait,
    /// sleep, deschedule) gives up when this is true, and kill wakes it to look.
    /// </summary>
    public static bool CurrentMustEnd => Current?.MustEnd ?? false;

    /// <summary>
    /// Whether a blocking wait of this thread should give up: it must end, or a signal it will
    /// take is pending (Signal/SignalState.cs). Waits that a signal may interrupt check this.
    /// </summary>
    public bool Interrupted => MustEnd || (Task.Signals.Pending & ~SignalMask) != 0;

    /// <summary><see cref="Interrupted"/> for the calling thread (false for a kernel thread).</summary>
    public static bool CurrentInterrupted => Current?.Interrupted ?? false;

    internal void Attach(KThread kernel)
    {
        Kernel = kernel;
        kernel.Owner = this;
    }

    public override string ToString() => $"tid {Tid} of {Task}";
}
