using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;
using Mutex = Osprey.Kernel.Sync.Mutex;

namespace Osprey.Kernel.Proc;

/// <summary>
/// A process (a task, in Pebbles' words): an address space, open files, a working directory,
/// an exit status and children, and one or more threads (<see cref="UserThread"/>). Its pid is
/// its first thread's tid.
///
/// Locks, outermost first:
/// - the process table's lock protects <see cref="State"/>, <see cref="Parent"/> and
///   <see cref="ExitStatus"/>;
/// - <see cref="MemoryLock"/> (a sleeping mutex) serializes changes to the address space's
///   size (sbrk) with fork's copy of it; the page table's own range locks (Vm/RangeLocks.cs)
///   protect the entries;
/// - <see cref="Lock"/> protects the list of threads, <see cref="Status"/>, the killed flag and
///   <see cref="Execer"/>;
/// - <see cref="FilesLock"/> protects the descriptor slots and the <see cref="Cwd"/> pointer
///   (what they point to has locks of its own).
/// A process's page table and size belong to its threads while it lives, and to its parent
/// once it is a zombie.
/// </summary>
public sealed class Process
{
    private volatile bool _killed;
    private UserThread? _firstThread;

    internal Process(int pid, Scheduler scheduler)
    {
        Pid = pid;
        MemoryLock = new Mutex(scheduler, "vm");
    }

    public int Pid { get; }

    public string Name { get; set; } = "";

    public ProcessState State { get; internal set; } = ProcessState.Alive;

    public Process? Parent { get; internal set; }

    /// <summary>The status wait reports, fixed when the last thread ends.</summary>
    public int ExitStatus { get; internal set; }

    /// <summary>
    /// The status the task will exit with: 0 at first, what set_status last set, -2 after a
    /// thread's fault under the Pebbles personality; exit, task_vanish and kill fix it.
    /// </summary>
    public int Status { get; internal set; }

    /// <summary>Every thread is to end: exit, task_vanish, kill or an xv6 fault ended the task.</summary>
    public bool Killed => _killed;

    /// <summary>The program's conventions (set by exec, copied by fork).</summary>
    public Personality Personality { get; internal set; }

    public Spinlock Lock { get; } = new("task");

    public Spinlock FilesLock { get; } = new("files");

    public Mutex MemoryLock { get; }

    /// <summary>Null for a kernel-only process (the reaper in <c>osprey run</c>).</summary>
    public PageTable? PageTable { get; internal set; }

    /// <summary>Bytes of user memory from address 0 (xv6's p->sz).</summary>
    public ulong Size { get; internal set; }

    /// <summary>Threads not yet ended.</summary>
    public int ThreadCount { get; private set; }

    /// <summary>The thread in exec, waiting for the others to end, if one is.</summary>
    internal UserThread? Execer { get; set; }

    /// <summary>What exec sleeps on until it is the task's only thread.</summary>
    internal object ThreadsGone { get; } = new();

    /// <summary>Signal dispositions, pending signals and the alarm (under <see cref="Lock"/>).</summary>
    public Signal.SignalState Signals { get; } = new();

    /// <summary>This process's page faults by how they ended (vmstat's per-process figures).</summary>
    public FaultCounts VmFaults { get; } = new();

    /// <summary>Open files by descriptor (xv6's ofile): NOFILE slots.</summary>
    public Files.OpenFile?[] Files { get; } = new Files.OpenFile?[Syscalls.AbiConstants.NOFILE];

    /// <summary>The working directory; null for a kernel-only process or a machine without a disk.</summary>
    public Fs.Inode? Cwd { get; internal set; }

    /// <summary>Caller holds <see cref="Lock"/>. Marks the task killed; false if it already was.</summary>
    internal bool MarkKilled()
    {
        if (_killed)
            return false;
        _killed = true;
        return true;
    }

    /// <summary>A snapshot of the threads (under the task's lock).</summary>
    public IReadOnlyList<UserThread> Threads()
    {
        var all = new List<UserThread>(ThreadCount);
        Lock.Acquire();
        for (UserThread? t = _firstThread; t != null; t = t.NextInTask)
            all.Add(t);
        Lock.Release();
        return all;
    }

    /// <summary>Caller holds <see cref="Lock"/>.</summary>
    internal void AddThread(UserThread t)
    {
        t.NextInTask = _firstThread;
        if (_firstThread != null)
            _firstThread.PrevInTask = t;
        _firstThread = t;
        ThreadCount++;
    }

    /// <summary>Caller holds <see cref="Lock"/>. Returns how many threads are left.</summary>
    internal int RemoveThread(UserThread t)
    {
        if (t.PrevInTask == null)
            _firstThread = t.NextInTask;
        else
            t.PrevInTask.NextInTask = t.NextInTask;
        if (t.NextInTask != null)
            t.NextInTask.PrevInTask = t.PrevInTask;
        t.PrevInTask = t.NextInTask = null;
        return --ThreadCount;
    }

    /// <summary>Caller holds <see cref="Lock"/>. Calls <paramref name="each"/> on every thread.</summary>
    internal void ForEachThread(Action<UserThread> each)
    {
        for (UserThread? t = _firstThread; t != null; t = t.NextInTask)
            each(t);
    }

    public override string ToString() => $"pid {Pid} ({Name}, {State})";
}
