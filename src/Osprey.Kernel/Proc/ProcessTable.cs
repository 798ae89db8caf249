using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Proc;

/// <summary>
/// Every process, by pid, up to <see cref="Capacity"/> at once (xv6's NPROC), the count of
/// user threads against <see cref="MaxThreads"/>, and the parent/child relation: a task's
/// end, wait and kill. (Proc/Lifecycle.cs makes tasks and threads and takes them apart.)
///
/// <see cref="Lock"/> protects the slots and every process's State, Parent and ExitStatus (it
/// plays xv6's wait_lock and p->lock at once). A parent's threads sleep on the parent in
/// wait; an exiting child wakes them. Lock order: proc, then a task's lock, then sched.
/// </summary>
public sealed class ProcessTable
{
    private readonly Process?[] _slots;
    private readonly Scheduler _scheduler;
    private int _threads;

    public ProcessTable(Scheduler scheduler, int capacity, int maxThreads)
    {
        _scheduler = scheduler;
        _slots = new Process?[capacity];
        MaxThreads = maxThreads;
    }

    public Spinlock Lock { get; } = new("proc");

    public int Capacity => _slots.Length;

    /// <summary>The most user threads (of all processes together) that may exist at once.</summary>
    public int MaxThreads { get; }

    /// <summary>User threads that exist now (started and not yet ended, or being made).</summary>
    public int ThreadCount => Volatile.Read(ref _threads);

    /// <summary>The process orphans are given to: pid 1.</summary>
    public Process? Init { get; private set; }

    /// <summary>Called (without locks) when a zombie is collected, to free what it owned.</summary>
    public Action<Process>? FreeResources { get; set; }

    /// <summary>The process of the calling kernel thread.</summary>
    public static Process Current =>
        UserThread.Current?.Task ?? throw Panic.Now("no current process");

    /// <summary>
    /// A new live process in a free slot, or null when the table is full. Its pid is a new
    /// tid (its first thread's), or <paramref name="pid"/>: the id of a kernel thread that
    /// becomes the process's first thread.
    /// </summary>
    public Process? Allocate(string name, Process? parent, int? pid = null)
    {
        Lock.Acquire();
        int slot = Array.IndexOf(_slots, null);
        Process? p = null;
        if (slot >= 0)
        {
            p = new Process(pid ?? _scheduler.NewThreadId(), _scheduler) { Name = name, Parent = parent };
            _slots[slot] = p;
            Init ??= p;
        }
        Lock.Release();
        return p;
    }

    /// <summary>Gives a slot back for a process that never ran (a fork that failed half way).</summary>
    public void Discard(Process p)
    {
        Lock.Acquire();
        _slots[Array.IndexOf(_slots, p)] = null;
        Lock.Release();
    }

    /// <summary>Counts a thread about to be made; false (and nothing counted) when there are <see cref="MaxThreads"/> already.</summary>
    public bool ReserveThread()
    {
        if (Interlocked.Increment(ref _threads) <= MaxThreads)
            return true;
        Interlocked.Decrement(ref _threads);
        return false;
    }

    /// <summary>A thread counted by <see cref="ReserveThread"/> has ended (or was never made).</summary>
    public void ThreadEnded() => Interlocked.Decrement(ref _threads);

    /// <summary>
    /// Ends every thread of a task (exit, task_vanish, kill, an xv6 fault): the task is marked
    /// killed, its status becomes <paramref name="status"/> unless something ended it first,
    /// and each thread is woken from any interruptible wait and, if it runs on another CPU,
    /// interrupted, so that it reaches a safe point and ends promptly.
    /// </summary>
    public void EndTask(Process p, int status)
    {
        p.Lock.Acquire();
        if (p.MarkKilled())
            p.Status = status;
        p.ForEachThread(t =>
        {
            if (t.Kernel is { } k && k != KThread.Current)
            {
                _scheduler.WakeThread(k);
                _scheduler.Nudge(k);
            }
        });
        p.Lock.Release();
    }

    /// <summary>
    /// The end of a process, after its last thread has released its files and directory:
    /// children go to init, the process becomes a zombie with <see cref="Process.Status"/> as
    /// its exit status, and its parent is woken to collect it.
    /// </summary>
    public void Exit(Process p)
    {
        if (p == Init)
            throw Panic.Now("init exiting");
        Lock.Acquire();
        foreach (Process? child in _slots)
        {
            if (child != null && child.Parent == p)
            {
                child.Parent = Init;
                _scheduler.Wakeup(Init!);
            }
        }
        p.ExitStatus = p.Status;
        p.State = ProcessState.Zombie;
        if (p.Parent != null)
            _scheduler.Wakeup(p.Parent);
        Lock.Release();
    }

    /// <summary>
    /// Waits for a child to exit and collects it: its pid and status, or -1 if the caller has no
    /// children or must end (killed). <paramref name="deliverStatus"/> runs before the zombie is
    /// freed; if it fails the wait fails and the zombie stays, as in xv6. Any thread of the
    /// parent may collect any of its children. A kernel process that must collect its children
    /// whatever happens (the reaper) waits with <paramref name="interruptible"/> false, so a
    /// kill does not end the wait.
    /// </summary>
    public int Wait(Process parent, Func<int, bool>? deliverStatus, out int status, bool interruptible = true)
    {
        status = 0;
        Lock.Acquire();
        while (true)
        {
            bool haveChildren = false;
            foreach (Process? child in _slots)
            {
                if (child == null || child.Parent != parent)
                    continue;
                haveChildren = true;
                if (child.State != ProcessState.Zombie)
                    continue;
                status = child.ExitStatus;
                if (deliverStatus != null && !deliverStatus(status))
                {
                    Lock.Release();
                    return -1;
                }
                int pid = child.Pid;
                _slots[Array.IndexOf(_slots, child)] = null;
                Lock.Release();
                FreeResources?.Invoke(child);
                return pid;
            }
            if (!haveChildren || (interruptible && UserThread.CurrentMustEnd))
            {
                Lock.Release();
                return -1;
            }
            _scheduler.Sleep(parent, Lock);
        }
    }

    /// <summary>
    /// Whether anything but the process itself may end it. Pid 1 may not: it collects orphans
    /// and it is what ends the run (the reaper under <c>osprey run</c>, init under
    /// <c>osprey boot</c>), so killing it would leave zombies uncollected and the machine
    /// unable to halt, and Unix refuses to kill init for the same reason. <see cref="Kill"/>
    /// asks this, and so must every later way of ending a process from outside it (a signal
    /// whose action is to terminate): such a request to pid 1 fails and changes nothing.
    /// </summary>
    public bool MayBeEnded(Process p) => p != Init;

    /// <summary>
    /// Kills a process (every thread of it); it exits with status -1 once its threads reach a
    /// safe point. False for no such live process, or one that <see cref="MayBeEnded"/>
    /// protects (pid 1).
    /// </summary>
    public bool Kill(int pid)
    {
        Lock.Acquire();
        Process? p = Array.Find(_slots, q => q != null && q.Pid == pid && q.State == ProcessState.Alive);
        if (p != null && !MayBeEnded(p))
            p = null;
        Lock.Release();
        if (p != null)
            EndTask(p, -1);
        return p != null;
    }

    /// <summary>A snapshot of the live and zombie processes, for ^P and tests.</summary>
    public IReadOnlyList<Process> Snapshot()
    {
        Lock.Acquire();
        Process[] all = _slots.Where(p => p != null).Select(p => p!).ToArray();
        Lock.Release();
        return all;
    }

    public int Count
    {
        get
        {
            Lock.Acquire();
            int n = _slots.Count(p => p != null);
            Lock.Release();
            return n;
        }
    }
}
