using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Signal;

/// <summary>
/// Signals, POSIX-like and small: sending one to a task, delivering it to one of the task's
/// threads on its way back to user mode, and the handler's return (sigreturn). A handler is
/// entered through the upcall (the interrupted registers saved on the user stack, the handler
/// called with the signal in a0 and the trampoline as its return address); sigreturn restores
/// them after checking the saved state.
///
/// A signal is pending on the task until a thread that does not block it takes it. Sending one
/// picks such a thread and interrupts its wait, if it is in one that a signal may end (a pipe or
/// console read or write, wait, sleep, pause, kkv_get, deschedule): the wait returns its error
/// with nothing consumed, and the signal is delivered as the call returns. A signal whose action
/// is to end the task ends it there, as kill would (status -1); SIGKILL ends it at once.
///
/// Lock order: the task's lock, then the scheduler's (waking the chosen thread); the alarm
/// queue's lock is taken alone.
/// </summary>
public sealed class Signals(OspreyKernel kernel)
{
    private readonly AlarmQueue _alarms = new();

    /// <summary>
    /// Sends <paramref name="sig"/> to <paramref name="p"/>. An ignored signal is discarded at
    /// once; otherwise it is pending, and a thread that can take it is woken from an
    /// interruptible wait and, if it runs on another CPU, interrupted.
    /// </summary>
    public void Send(Process p, int sig)
    {
        if (p.PageTable == null)
            return; // a kernel-only process (osprey run's reaper) has no user mode to take it in
        if (sig == AbiConstants.SIGKILL)
        {
            kernel.Tracer?.SignalSent(sig, p.Pid, "the task ends");
            kernel.Processes.EndTask(p, -1);
            return;
        }
        p.Lock.Acquire();
        if (p.Killed || p.Signals.Ignored(sig))
        {
            p.Lock.Release();
            kernel.Tracer?.SignalSent(sig, p.Pid, p.Killed ? "the task is ending" : "ignored");
            return;
        }
        p.Signals.Raise(sig);
        kernel.Tracer?.SignalSent(sig, p.Pid, "pending");
        UserThread? taker = null;
        p.ForEachThread(t =>
        {
            if (taker == null && (t.SignalMask & SignalState.Bit(sig)) == 0)
                taker = t;
        });
        if (taker?.Kernel is { } k && k != KThread.Current)
        {
            kernel.Scheduler.WakeThread(k);
            kernel.Scheduler.Nudge(k);
        }
        p.Lock.Release();
    }

    /// <summary>
    /// sigsend(pid, sig): false for no such live process, a bad signal number, or init (pid 1),
    /// which nothing outside it may end or interrupt.
    /// </summary>
    public bool Send(int pid, int sig)
    {
        if (!SignalState.Valid(sig))
            return false;
        Process? p = kernel.Processes.FindAlive(pid);
        if (p == null || !kernel.Processes.MayBeEnded(p))
            return false;
        Send(p, sig);
        return true;
    }

    /// <summary>^C: SIGINT to every live process but init (pid 1), as V7 Unix's terminal did.</summary>
    public void Interrupt()
    {
        foreach (Process p in kernel.Processes.Snapshot())
        {
            if (p != kernel.Processes.Init && p.State == ProcessState.Alive)
                Send(p, AbiConstants.SIGINT);
        }
    }

    /// <summary>
    /// On the way to user mode: takes the lowest pending signal <paramref name="t"/> does not
    /// block, and acts on it. A handler is entered by the upcall with the signal blocked until
    /// it returns; the default action ends the task. One signal each time: the next is taken at
    /// the next return to user mode (inside the handler, unless blocked).
    /// </summary>
    public void Deliver(UserThread t)
    {
        Process p = t.Task;
        p.Lock.Acquire();
        int ready = p.Signals.Pending & ~t.SignalMask;
        if (ready == 0)
        {
            p.Lock.Release();
            return;
        }
        int sig = System.Numerics.BitOperations.TrailingZeroCount(ready);
        p.Signals.Clear(sig);
        ulong handler = p.Signals.Disposition(sig);
        ulong trampoline = p.Signals.Trampoline;
        int mask = t.SignalMask;
        if (handler > AbiConstants.SIGH_IGN)
            t.SignalMask = mask | SignalState.Bit(sig);
        p.Lock.Release();
        kernel.Tracer?.SignalDelivered(t.Kernel!, sig, handler switch
        {
            AbiConstants.SIGH_IGN => "ignored",
            AbiConstants.SIGH_DFL => "default: the task ends",
            _ => $"handler 0x{handler:x}",
        });

        if (handler == AbiConstants.SIGH_IGN)
            return; // ignored after it was sent
        if (handler == AbiConstants.SIGH_DFL)
        {
            kernel.Processes.EndTask(p, -1);
            return;
        }
        if (!SignalFrame.Push(kernel.Memory, p.PageTable!, t.TrapFrame, sig, mask, handler, trampoline))
        {
            // No room on the stack for the frame: the task cannot take the signal (Linux sends
            // SIGSEGV, which kills it the same way).
            kernel.Console.Print($"pid {p.Pid} {p.Name}: cannot deliver signal {sig}: bad stack pointer 0x{t.TrapFrame[TrapFrame.Sp]:x}; killed\n");
            kernel.Processes.EndTask(p, -1);
        }
    }

    /// <summary>sigreturn: restores what the upcall saved; the restored a0 is the call's result. A frame that fails the checks kills the task.</summary>
    public long Return(UserThread t)
    {
        Process p = t.Task;
        if (!SignalFrame.Pop(kernel.Memory, p.PageTable!, t.TrapFrame, out int mask))
        {
            kernel.Console.Print($"pid {p.Pid} {p.Name}: sigreturn without a valid signal frame at sp 0x{t.TrapFrame[TrapFrame.Sp]:x}; killed\n");
            kernel.Processes.EndTask(p, -1);
            return 0;
        }
        SetMask(t, mask);
        return (long)t.TrapFrame[TrapFrame.A0];
    }

    /// <summary>signal(sig, handler, trampoline): the old disposition, or -1 (bad signal, SIGKILL, a handler or trampoline that is not the program's code).</summary>
    public long SetHandler(UserThread t, int sig, ulong handler, ulong trampoline)
    {
        Process p = t.Task;
        if (!SignalState.Valid(sig) || sig == AbiConstants.SIGKILL)
            return -1;
        if (handler > AbiConstants.SIGH_IGN && (!InProgram(p, handler) || !InProgram(p, trampoline)))
            return -1;
        p.Lock.Acquire();
        if (handler > AbiConstants.SIGH_IGN)
            p.Signals.Trampoline = trampoline;
        ulong old = p.Signals.SetDisposition(sig, handler);
        p.Lock.Release();
        return (long)old;
    }

    /// <summary>sigprocmask(how, mask): the old mask, or -1 for a bad how. SIGKILL is never blocked.</summary>
    public long ChangeMask(UserThread t, int how, int mask)
    {
        int old = t.SignalMask;
        int next = how switch
        {
            AbiConstants.SIG_BLOCK => old | mask,
            AbiConstants.SIG_UNBLOCK => old & ~mask,
            AbiConstants.SIG_SETMASK => mask,
            _ => -1,
        };
        if (how is < AbiConstants.SIG_BLOCK or > AbiConstants.SIG_SETMASK)
            return -1;
        SetMask(t, next);
        return old;
    }

    /// <summary>pause: waits until a signal the thread takes is pending (or it must end); always -1, like POSIX's pause.</summary>
    public long Pause(UserThread t)
    {
        Process p = t.Task;
        p.Lock.Acquire();
        while (!t.Interrupted)
            kernel.Scheduler.Sleep(t, p.Lock);
        p.Lock.Release();
        return -1;
    }

    /// <summary>alarm(ticks): SIGALRM after that many ticks (0 cancels); the ticks that were left on the previous alarm.</summary>
    public long Alarm(UserThread t, int ticks)
    {
        Process p = t.Task;
        long now = kernel.Clock.Ticks;
        long at = ticks > 0 ? now + ticks : 0;
        p.Lock.Acquire();
        long old = p.Signals.AlarmTick;
        p.Signals.AlarmTick = at;
        p.Lock.Release();
        if (at != 0)
            _alarms.Add(p, at);
        return old == 0 ? 0 : Math.Max(old - now, 1);
    }

    /// <summary>The tick handler: sends SIGALRM to every task whose alarm is due.</summary>
    public void Tick(long now)
    {
        while (_alarms.TakeDue(now) is { } due)
        {
            Process p = due.Task;
            p.Lock.Acquire();
            bool current = p.Signals.AlarmTick == due.Tick;
            if (current)
                p.Signals.AlarmTick = 0;
            p.Lock.Release();
            if (current)
                Send(p, AbiConstants.SIGALRM);
        }
    }

    /// <summary>fork: the child inherits the dispositions and the calling thread's mask; nothing pending, no alarm.</summary>
    public static void Fork(UserThread parent, UserThread child)
    {
        Process p = parent.Task;
        p.Lock.Acquire();
        child.Task.Signals.InheritFrom(p.Signals);
        child.SignalMask = parent.SignalMask;
        p.Lock.Release();
    }

    /// <summary>exec: handlers go back to the default (the program that set them is gone); ignored signals, the mask and pending signals stay.</summary>
    public static void Exec(Process p)
    {
        p.Lock.Acquire();
        p.Signals.ResetHandlers();
        p.Lock.Release();
    }

    private static void SetMask(UserThread t, int mask)
    {
        Process p = t.Task;
        p.Lock.Acquire();
        t.SignalMask = mask & ~SignalState.Bit(AbiConstants.SIGKILL) & ~1;
        p.Lock.Release();
    }

    /// <summary>Whether an address is code of the program: in a page mapped for user mode and executable (its text).</summary>
    private static bool InProgram(Process p, ulong address)
    {
        if (address >= p.Size || address >= PageTable.MaxVirtualAddress)
            return false;
        PageTable table = p.PageTable!;
        using RangeLocks.Held held = table.Locks.Hold(address, address + 1);
        const ulong code = Pte.V | Pte.U | Pte.X;
        return (table.Lookup(PageTable.RoundDown(address)) & code) == code;
    }
}
