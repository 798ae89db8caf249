using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using ThreadState = Osprey.Kernel.Sched.ThreadState;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Insight;

/// <summary>
/// The kernel's half of the gdb stub (--gdb; the remote protocol is src/Osprey/Gdb): stopping
/// and resuming user threads, single steps, breakpoints, and the threads gdb can name.
///
/// All-stop: when a breakpoint hits, a step ends or gdb interrupts, every CPU is sent an IPI,
/// so whatever user code it runs returns to the kernel within an interrupt check, and every
/// user thread that comes to the top of its user loop (<see cref="Gate"/>, its safe point,
/// where it holds no lock) waits there until gdb resumes it. Kernel code goes on (a thread in
/// a system call finishes it, a tick wakes sleepers), but no user instruction runs. A waiting
/// thread keeps its CPU while nobody else wants it and yields it when others are runnable,
/// so that a thread gdb steps alone can get a CPU even when every CPU has a stopped thread.
///
/// Breakpoints belong to a task (an address space): <see cref="Run"/> checks the pc before
/// each instruction only for a thread of a task with breakpoints, one instruction at a time,
/// so code is never patched (a frame shared by fork, or text another task runs at the same
/// addresses, cannot hit) and a thread of any other task runs at full speed. A kernel with
/// no debugger has none of this: its hooks are null checks.
///
/// Registers and memory are read while stopped, from each thread's trap frame and through its
/// task's page table (<see cref="UserPeek"/>). The gdb server's host thread holds no CPU, so
/// nothing here takes a kernel lock: threads are known from the gate they all pass.
/// </summary>
public sealed class Debugger
{
    private readonly OspreyKernel _kernel;
    private readonly object _lock = new();

    // Under _lock. _stopped: all-stop is in force. _only: while resumed, the one thread that
    // may run (gdb's step or continue of a single thread); others wait at the gate.
    // _stepping: the thread making one step. _event: the stop not yet taken by the server.
    private bool _stopped;
    private UserThread? _only;
    private UserThread? _stepping;
    private StopEvent? _event;

    // Whether the gate must look at all: stopped or _only set (read without the lock).
    private volatile bool _holding;

    private readonly Dictionary<Process, HashSet<ulong>> _breakpoints = [];
    private volatile int _breakpointCount;

    // Every user thread that has passed the gate, by tid; the dead are dropped when listed.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, UserThread> _threads = new();

    /// <param name="startStopped">--gdb-wait: no user instruction runs until gdb resumes.</param>
    public Debugger(OspreyKernel kernel, bool startStopped)
    {
        _kernel = kernel;
        _stopped = startStopped;
        _holding = startStopped;
    }

    /// <summary>Whether all-stop is in force now.</summary>
    public bool Stopped
    {
        get
        {
            lock (_lock)
                return _stopped;
        }
    }

    /// <summary>
    /// The hook at the top of each user loop (the thread's safe point): records the thread, and
    /// waits while gdb holds it. A thread that must end, or a halted machine, goes on.
    /// </summary>
    public void Gate(UserThread t)
    {
        _threads.TryAdd(t.Tid, t);
        if (!_holding)
            return;
        Monitor.Enter(_lock);
        try
        {
            Monitor.PulseAll(_lock); // a server waiting for threads to arrive (--gdb-wait) looks again
            while (!MayRun(t) && !t.MustEnd && !_kernel.Scheduler.Halted)
            {
                if (_kernel.Scheduler.RunnableCount > 0)
                {
                    Monitor.Exit(_lock);
                    try
                    {
                        _kernel.Scheduler.Yield();
                    }
                    finally
                    {
                        Monitor.Enter(_lock);
                    }
                }
                Monitor.Wait(_lock, 20);
            }
        }
        finally
        {
            Monitor.Exit(_lock);
        }
    }

    /// <summary>Under _lock.</summary>
    private bool MayRun(UserThread t) => !_stopped && (_only == null || _only == t);

    /// <summary>
    /// Runs <paramref name="t"/>'s user code on <paramref name="hart"/> in place of
    /// <c>hart.Run(budget)</c>: one instruction if gdb steps it, one at a time with the pc
    /// checked against its task's breakpoints if it has any, else the whole budget at once.
    /// A hit or a finished step stops the machine; the thread then waits at its gate.
    /// </summary>
    public Machine.Cpu.Trap Run(UserThread t, Hart hart, long budget)
    {
        if (_stepping == t)
            return Step(t, hart);
        if (_holding && !MayRunNow(t))
            return new Machine.Cpu.Trap(TrapCause.BudgetExhausted, hart.Pc, 0); // let go by its gate to end: no user code

        HashSet<ulong>? breakpoints = _breakpointCount == 0 ? null : BreakpointsOf(t.Task);
        if (breakpoints == null)
            return hart.Run(budget);
        for (long i = 0; i < budget; i++)
        {
            if (breakpoints.Contains(hart.Pc))
            {
                ReportStop(t, StopEvent.SigTrap);
                return new Machine.Cpu.Trap(TrapCause.BudgetExhausted, hart.Pc, 0);
            }
            if (_holding && !MayRunNow(t))
                return new Machine.Cpu.Trap(TrapCause.BudgetExhausted, hart.Pc, 0);
            Machine.Cpu.Trap trap = hart.Run(1);
            if (trap.Cause != TrapCause.BudgetExhausted)
                return trap;
        }
        return new Machine.Cpu.Trap(TrapCause.BudgetExhausted, hart.Pc, 0);
    }

    private bool MayRunNow(UserThread t)
    {
        lock (_lock)
            return MayRun(t);
    }

    private Machine.Cpu.Trap Step(UserThread t, Hart hart)
    {
        ulong before = hart.Instret;
        Machine.Cpu.Trap trap = hart.Run(1);
        // A system call is a step (the kernel moves the pc past it); a fault that the kernel
        // resolves is not (the instruction runs again).
        if (hart.Instret != before || trap.Cause is TrapCause.EnvironmentCallFromUser or TrapCause.Breakpoint or TrapCause.IllegalInstruction)
        {
            lock (_lock)
            {
                if (_stepping == t)
                    _stepping = null;
            }
            ReportStop(t, StopEvent.SigTrap);
        }
        return trap;
    }

    private HashSet<ulong>? BreakpointsOf(Process p)
    {
        lock (_breakpoints)
            return _breakpoints.TryGetValue(p, out HashSet<ulong>? set) ? [.. set] : null;
    }

    /// <summary>Stops the machine on behalf of <paramref name="t"/> (the first stop since the last resume is the one reported).</summary>
    public void ReportStop(UserThread t, int signal)
    {
        lock (_lock)
        {
            _event ??= new StopEvent(t, signal);
            _stopped = true;
            _only = null;
            _stepping = null;
            _holding = true;
            Monitor.PulseAll(_lock);
        }
        foreach (Cpu cpu in _kernel.Scheduler.Cpus)
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
    }

    /// <summary>gdb's Ctrl-C (SIGINT) or a new connection (SIGTRAP): stops everything, reported in some thread.</summary>
    public void Interrupt(int signal)
    {
        lock (_lock)
        {
            _stopped = true;
            _only = null;
            _stepping = null;
            _holding = true;
        }
        foreach (Cpu cpu in _kernel.Scheduler.Cpus)
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
        UserThread? any = WaitForAThread(TimeSpan.FromSeconds(30));
        lock (_lock)
        {
            if (any != null)
                _event ??= new StopEvent(any, signal);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>A live user thread (the one that last came to its gate, if it is waiting), waiting up to <paramref name="timeout"/> for one to exist.</summary>
    public UserThread? WaitForAThread(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (true)
            {
                IReadOnlyList<UserThread> threads = Threads();
                if (threads.Count > 0)
                    return threads[0];
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _kernel.Scheduler.Halted)
                    return null;
                Monitor.Wait(_lock, left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the machine to stop, then for every CPU to be
    /// out of user mode (so every trap frame is current); null if it did not stop in time.
    /// </summary>
    public StopEvent? WaitForStop(TimeSpan timeout)
    {
        StopEvent? stop;
        lock (_lock)
        {
            if (_event == null)
                Monitor.Wait(_lock, timeout);
            stop = _event;
        }
        if (stop == null)
            return null;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (_kernel.Scheduler.Cpus.Any(c => c.RunningUserTable != null) && DateTime.UtcNow < deadline)
            Thread.Sleep(1);
        return stop;
    }

    /// <summary>
    /// Resumes after a stop. <paramref name="step"/>: the thread to step one instruction, or
    /// null. <paramref name="othersRun"/>: whether the other threads run meanwhile (gdb's
    /// <c>vCont;s:T;c</c>), or wait (<c>vCont;s:T</c>); <paramref name="only"/> continues one
    /// thread alone.
    /// </summary>
    public void Resume(UserThread? step, bool othersRun, UserThread? only = null)
    {
        lock (_lock)
        {
            _event = null;
            _stepping = step;
            _only = only ?? (othersRun ? null : step);
            _stopped = false;
            _holding = _only != null;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>gdb went away: every breakpoint goes and the machine runs on.</summary>
    public void Detach()
    {
        lock (_breakpoints)
        {
            _breakpoints.Clear();
            _breakpointCount = 0;
        }
        Resume(null, othersRun: true);
    }

    public void InsertBreakpoint(Process p, ulong address)
    {
        lock (_breakpoints)
        {
            if (!_breakpoints.TryGetValue(p, out HashSet<ulong>? set))
                _breakpoints[p] = set = [];
            if (set.Add(address))
                _breakpointCount++;
        }
    }

    public void RemoveBreakpoint(Process p, ulong address)
    {
        lock (_breakpoints)
        {
            if (_breakpoints.TryGetValue(p, out HashSet<ulong>? set) && set.Remove(address))
            {
                _breakpointCount--;
                if (set.Count == 0)
                    _breakpoints.Remove(p);
            }
        }
    }

    /// <summary>
    /// The live user threads gdb can name, by tid: those that have come to their gate, and the
    /// other threads of their tasks (made, but not yet run to their gate). A task's thread list
    /// is read without its lock (this host thread holds no CPU to take it with): a thread made
    /// or ended at that moment may be missed or listed once too often, nothing worse.
    /// </summary>
    public IReadOnlyList<UserThread> Threads()
    {
        foreach ((int tid, UserThread t) in _threads)
        {
            if (t.Kernel is not { State: not ThreadState.Dead })
                _threads.TryRemove(tid, out _);
        }
        var all = new SortedDictionary<int, UserThread>();
        foreach (UserThread known in _threads.Values)
        {
            all[known.Tid] = known;
            known.Task.ForEachThread(sibling =>
            {
                if (sibling.Kernel?.State is not (null or ThreadState.Dead))
                    all.TryAdd(sibling.Tid, sibling);
            });
        }
        return [.. all.Values];
    }

    public UserThread? Find(int tid) =>
        _threads.TryGetValue(tid, out UserThread? t) ? (t.Kernel?.State is not (null or ThreadState.Dead) ? t : null)
        : Threads().FirstOrDefault(u => u.Tid == tid);

    /// <summary>What gdb's "info threads" shows for a thread: its task, name and state.</summary>
    public static string Describe(UserThread t) =>
        $"pid {t.Task.Pid} {t.Task.Name}, {t.Kernel?.State.ToString().ToLowerInvariant() ?? "new"}";

    /// <summary>The thread's task's memory, for reading and writing as a debugger does.</summary>
    public UserPeek MemoryOf(UserThread t) =>
        t.Task.PageTable is { } table ? new UserPeek(table, _kernel.Memory) : throw new InvalidOperationException("the thread has no address space");
}
