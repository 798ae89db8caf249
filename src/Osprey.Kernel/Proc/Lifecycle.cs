using Osprey.Kernel.Sched;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Proc;

/// <summary>
/// The life of a task and its threads, from fork to the parent's wait: making a task and
/// its first thread, fork (a copy of the calling thread only, as POSIX has it), thread_fork,
/// the ways threads and tasks end (vanish, exit, task_vanish, a fault), exec's ending of the
/// other threads, and freeing what a collected zombie still owns.
///
/// A thread ends only at a safe point of its own: the top of its user loop
/// (<see cref="EndThread"/>). Whoever ends a thread or a task only marks it and wakes it. The
/// task's lock decides which thread is last, so however many threads end at the same moment
/// on different CPUs, exactly one of them closes the task's files and makes it a zombie, and
/// the parent's wait frees its memory once. Each thread's kernel stack (its host thread) goes
/// back to the pool when its loop returns.
/// </summary>
public sealed partial class Lifecycle(OspreyKernel kernel)
{
    private Scheduler Scheduler => kernel.Scheduler;

    private ProcessTable Processes => kernel.Processes;

    /// <summary>
    /// A new task with the first thread's object (not started; <see cref="Start"/> starts
    /// it), or null when the process table or the thread limit is full.
    /// </summary>
    public UserThread? Spawn(string name, Process? parent)
    {
        if (!Processes.ReserveThread())
            return null;
        Process? p = Processes.Allocate(name, parent);
        if (p == null)
        {
            Processes.ThreadEnded();
            return null;
        }
        return new UserThread(p, p.Pid);
    }

    /// <summary>Undoes a <see cref="Spawn"/> whose thread never started (a fork that failed half way).</summary>
    public void Discard(UserThread first)
    {
        FreeProcess(first.Task);
        Processes.Discard(first.Task);
        Processes.ThreadEnded();
    }

    /// <summary>
    /// Starts a thread of a task (counted already by <see cref="ProcessTable.ReserveThread"/>):
    /// its kernel thread runs the user loop from the thread's trap frame. With a
    /// <paramref name="creator"/> (fork, thread_fork) the scheduler decides who runs first.
    /// </summary>
    public void Start(UserThread t, UserThread? creator)
    {
        KThread k = Scheduler.CreateThread(t.Task.Name, () => kernel.Traps.UserLoop(t), t.Tid);
        t.Attach(k);
        Process p = t.Task;
        p.Lock.Acquire();
        p.AddThread(t);
        p.Lock.Release();
        if (creator?.Kernel is { } by)
            Scheduler.StartCreated(by, k);
        else
            Scheduler.MakeRunnable(k);
    }

    /// <summary>Makes the calling kernel thread the first thread of <paramref name="p"/> (pid 1: the reaper, init).</summary>
    public UserThread AdoptCurrent(Process p)
    {
        KThread me = KThread.Current ?? throw Panic.Now("adopt: not a kernel thread");
        if (me.Id != p.Pid)
            throw Panic.Now($"adopt: thread {me.Id} cannot be the first thread of pid {p.Pid}");
        Processes.ReserveThread(); // counted like any thread, though the limit cannot refuse pid 1
        var t = new UserThread(p, me.Id);
        t.Attach(me);
        p.Lock.Acquire();
        p.AddThread(t);
        p.Lock.Release();
        return t;
    }

    /// <summary>fork: a new task holding a copy of the caller's memory and files and one thread, a copy of the calling thread; the child's pid, 0 in the child, or -1.</summary>
    public long Fork(UserThread me)
    {
        Process parent = me.Task;
        UserThread? first = Spawn(parent.Name, parent);
        if (first == null)
            return -1;
        Process child = first.Task;
        child.PageTable = PageTable.Create(kernel.Vm);
        if (child.PageTable == null)
        {
            Discard(first);
            return -1;
        }
        // The size cannot change under the copy: sbrk by another thread waits.
        parent.MemoryLock.Lock();
        bool copied = parent.PageTable!.CopyTo(child.PageTable, parent.Size, copyNow: me.TrapFrame[TrapFrame.Sp]);
        child.Size = parent.Size;
        parent.MemoryLock.Unlock();
        if (!copied)
        {
            child.Size = 0; // CopyTo left at most empty tables
            Discard(first);
            return -1;
        }
        child.PageTable.Owner = child;
        child.Personality = parent.Personality;
        Signal.Signals.Fork(me, first);
        first.TrapFrame.CopyFrom(me.TrapFrame);
        first.TrapFrame[TrapFrame.A0] = 0;
        first.ExceptionHandler = me.ExceptionHandler;
        InheritFiles(parent, child);
        Start(first, me);
        return child.Pid;
    }

    /// <summary>
    /// thread_fork: a new thread in the caller's task with a copy of the caller's registers,
    /// 0 in its a0 (the new thread moves itself to a stack of its own); its tid, or -1 when
    /// the thread limit is reached or the task is ending or exec'ing.
    /// </summary>
    public long ThreadFork(UserThread me)
    {
        Process p = me.Task;
        if (!Processes.ReserveThread())
            return -1;
        var t = new UserThread(p, Scheduler.NewThreadId()) { SignalMask = me.SignalMask };
        t.TrapFrame.CopyFrom(me.TrapFrame);
        t.TrapFrame[TrapFrame.A0] = 0;
        p.Lock.Acquire();
        bool refused = me.MustEnd || p.Execer != null;
        p.Lock.Release();
        if (refused)
        {
            Processes.ThreadEnded();
            return -1;
        }
        // A kill between here and the start finds the thread in the list, or the thread finds
        // the task killed at the top of its loop: either way it ends.
        Start(t, me);
        return t.Tid;
    }

    /// <summary>xv6's exit and Pebbles' task_vanish: every thread of the task ends, and the task exits with <paramref name="status"/>.</summary>
    public void EndTask(UserThread me, int status) => Processes.EndTask(me.Task, status);

    /// <summary>Pebbles' vanish: the calling thread ends; the task ends with it if it was the last.</summary>
    public static void Vanish(UserThread me) => me.MarkEnding();

    /// <summary>Pebbles' set_status: the status the task exits with when its last thread vanishes.</summary>
    public static void SetStatus(UserThread me, int status)
    {
        Process p = me.Task;
        p.Lock.Acquire();
        if (!p.Killed)
            p.Status = status;
        p.Lock.Release();
    }

    /// <summary>
    /// A thread's unhandled fault. Under xv6's conventions the whole task dies with status -1,
    /// as it always has; under Pebbles' only the thread dies, and the task's status becomes -2.
    /// </summary>
    public void Fault(UserThread me)
    {
        if (me.Task.Personality == Personality.Pebbles)
        {
            SetStatus(me, -2);
            me.MarkEnding();
        }
        else
        {
            EndTask(me, -1);
        }
    }

    /// <summary>
    /// The end of a thread, on its own kernel thread at the top of its user loop. The last
    /// thread of a task also gives up the task's files and directory and makes it a zombie.
    /// </summary>
    public void EndThread(UserThread t)
    {
        Process p = t.Task;
        p.Lock.Acquire();
        int left = p.RemoveThread(t);
        bool execWaits = left == 1 && p.Execer != null;
        // Uncounted under the task's lock: the thread that finds none left (and makes the task
        // a zombie, which ends the run once collected) then knows every other thread of the
        // task is uncounted too, not just out of the list.
        Processes.ThreadEnded();
        p.Lock.Release();
        if (execWaits)
            Scheduler.Wakeup(p.ThreadsGone);
        if (left == 0)
        {
            CloseFiles(p);
            Processes.Exit(p);
            if (p.Parent is { } parent)
                kernel.Signals.Send(parent, Syscalls.AbiConstants.SIGCHLD);
        }
    }

    /// <summary>
    /// exec, once the new image is loaded: every other thread of the task ends, and this waits
    /// until they have (each ends at its own safe point, so none is still running the old image
    /// on another CPU). False if the caller must end instead: the task is being killed, or
    /// another thread's exec got there first (and is ending this one).
    /// </summary>
    public bool EndOtherThreads(UserThread me)
    {
        Process p = me.Task;
        p.Lock.Acquire();
        if (p.Execer != null || me.MustEnd)
        {
            p.Lock.Release();
            return false;
        }
        if (p.ThreadCount == 1)
        {
            p.Lock.Release();
            return true;
        }
        p.Execer = me;
        p.ForEachThread(t =>
        {
            if (t == me)
                return;
            t.MarkEnding();
            if (t.Kernel is { } k)
            {
                Scheduler.WakeThread(k);
                Scheduler.Nudge(k);
            }
        });
        while (p.ThreadCount > 1 && !me.MustEnd)
            Scheduler.Sleep(p.ThreadsGone, p.Lock);
        p.Execer = null;
        bool alone = p.ThreadCount == 1;
        p.Lock.Release();
        return alone && !me.MustEnd;
    }

    /// <summary>Frees what a collected zombie (or a task that never ran) still owns: its memory and page tables.</summary>
    public static void FreeProcess(Process p)
    {
        p.PageTable?.Free(p.Size);
        p.PageTable = null;
        p.Size = 0;
        p.Lock.Retire();
        p.FilesLock.Retire();
        p.MemoryLock.Retire();
    }
}
