using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Proc;

/// <summary>
/// Every process, by pid, up to <see cref="Capacity"/> at once (xv6's NPROC), and the
/// parent/child relation: fork, exit, wait and kill.
///
/// <see cref="Lock"/> protects the slots, pid allocation and every process's State, Parent
/// and ExitStatus (it plays xv6's wait_lock and p->lock at once). A parent sleeps on itself
/// in wait; an exiting child wakes its parent. Lock order: proc, then sched.
/// </summary>
public sealed class ProcessTable
{
    private readonly Process?[] _slots;
    private readonly Scheduler _scheduler;
    private int _nextPid = 1;

    public ProcessTable(Scheduler scheduler, int capacity)
    {
        _scheduler = scheduler;
        _slots = new Process?[capacity];
    }

    public Spinlock Lock { get; } = new("proc");

    public int Capacity => _slots.Length;

    /// <summary>The process orphans are given to: pid 1.</summary>
    public Process? Init { get; private set; }

    /// <summary>Called (without locks) when a zombie is collected, to free what it owned.</summary>
    public Action<Process>? FreeResources { get; set; }

    /// <summary>The process of the calling kernel thread.</summary>
    public static Process Current =>
        KThread.Current?.Owner as Process ?? throw Panic.Now("no current process");

    /// <summary>A new live process in a free slot, or null when the table is full.</summary>
    public Process? Allocate(string name, Process? parent)
    {
        Lock.Acquire();
        int slot = Array.IndexOf(_slots, null);
        Process? p = null;
        if (slot >= 0)
        {
            p = new Process(_nextPid++) { Name = name, Parent = parent };
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

    /// <summary>Starts the process's thread running <paramref name="body"/>.</summary>
    public void Start(Process p, Action body)
    {
        KThread thread = _scheduler.CreateThread(p.Name, body);
        Adopt(p, thread);
        _scheduler.MakeRunnable(thread);
    }

    /// <summary>Makes <paramref name="thread"/> the process's thread (for a kernel thread that becomes a process).</summary>
    public static void Adopt(Process p, KThread thread)
    {
        thread.Owner = p;
        p.Thread = thread;
    }

    /// <summary>
    /// The end of a process, after the caller has released its files and directory: children
    /// go to init, the process becomes a zombie, and its parent is woken to collect it.
    /// </summary>
    public void Exit(Process p, int status)
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
        p.ExitStatus = status;
        p.State = ProcessState.Zombie;
        p.Exited = true;
        if (p.Parent != null)
            _scheduler.Wakeup(p.Parent);
        Lock.Release();
    }

    /// <summary>
    /// Waits for a child to exit and collects it: its pid and status, or -1 if the caller has no
    /// children or was killed. <paramref name="deliverStatus"/> runs before the zombie is freed;
    /// if it fails the wait fails and the zombie stays, as in xv6. A kernel process that must
    /// collect its children whatever happens (the reaper) waits with
    /// <paramref name="interruptible"/> false, so a kill does not end the wait.
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
            if (!haveChildren || (interruptible && parent.Killed))
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
    /// Marks a process killed; it exits at its next return to user mode or interruptible sleep.
    /// False for no such live process, or one that <see cref="MayBeEnded"/> protects (pid 1).
    /// </summary>
    public bool Kill(int pid)
    {
        Lock.Acquire();
        Process? p = Array.Find(_slots, q => q != null && q.Pid == pid && q.State == ProcessState.Alive);
        if (p != null && !MayBeEnded(p))
            p = null;
        p?.MarkKilled();
        Lock.Release();
        if (p?.Thread != null)
            _scheduler.WakeThread(p.Thread);
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
