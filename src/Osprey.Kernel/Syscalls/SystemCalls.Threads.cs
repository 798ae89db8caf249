using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// Pebbles' thread and scheduling calls: thread_fork, gettid, vanish, task_vanish, set_status,
// wait, yield, deschedule, make_runnable, sleep, get_ticks, misbehave. Errors are the negative
// PEBBLES_ codes of abi/constants.tbl.
public sealed partial class SystemCalls
{
    private long ThreadFork() => kernel.Lifecycle.ThreadFork(MyThread) is long tid and >= 0 ? tid : AbiConstants.PEBBLES_ENOMEM;

    private long Gettid() => MyThread.Tid;

    private long Vanish()
    {
        Lifecycle.Vanish(MyThread);
        return 0; // never seen: the thread is gone
    }

    private long TaskVanish()
    {
        kernel.Lifecycle.EndTask(MyThread, ArgInt(0));
        return 0;
    }

    private long SetStatus()
    {
        Lifecycle.SetStatus(MyThread, ArgInt(0));
        return 0;
    }

    /// <summary>
    /// Pebbles' wait(status_ptr): collects an exited child task and returns its pid, storing
    /// its status through status_ptr unless that is NULL. A status_ptr that is not writable
    /// fails before waiting (and a child collected is never lost: if the copy fails after all,
    /// the zombie stays).
    /// </summary>
    private long PebblesWait()
    {
        Process me = Me;
        ulong statusAddress = ArgAddress(0);
        if (statusAddress != 0 && !me.PageTable!.Accessible(statusAddress, sizeof(int), write: true))
            return AbiConstants.PEBBLES_EFAULT;
        bool delivered = true;
        Func<int, bool>? deliver = statusAddress == 0
            ? null
            : status => delivered = me.PageTable!.CopyOut(kernel.Memory, statusAddress, BitConverter.GetBytes(status));
        int pid = kernel.Processes.Wait(me, deliver, out _);
        if (pid >= 0)
            return pid;
        return !delivered ? AbiConstants.PEBBLES_EFAULT
            : UserThread.CurrentInterrupted ? AbiConstants.PEBBLES_EINTR
            : AbiConstants.PEBBLES_ECHILD;
    }

    private long Yield() => kernel.Scheduler.YieldTo(ArgInt(0)) switch
    {
        YieldResult.Yielded => 0,
        YieldResult.NoSuchThread => AbiConstants.PEBBLES_ESRCH,
        _ => AbiConstants.PEBBLES_ESTATE,
    };

    /// <summary>
    /// deschedule(reject): returns 0 at once if *reject is nonzero, else blocks until a
    /// make_runnable names this thread. Atomic with respect to make_runnable: the thread
    /// announces itself before it reads *reject, and a make_runnable that comes between is
    /// kept, so it is never lost (Scheduler.BeginDeschedule).
    /// </summary>
    private long Deschedule()
    {
        ulong rejectAddress = ArgAddress(0);
        Span<byte> reject = stackalloc byte[sizeof(int)];
        kernel.Scheduler.BeginDeschedule();
        if (!Me.PageTable!.CopyIn(kernel.Memory, reject, rejectAddress))
        {
            kernel.Scheduler.FinishDeschedule(reject: true, stop: false);
            return AbiConstants.PEBBLES_EFAULT;
        }
        kernel.Scheduler.FinishDeschedule(BitConverter.ToInt32(reject) != 0, MyThread.Interrupted);
        return 0;
    }

    private long MakeRunnable() => kernel.Scheduler.WakeDescheduled(ArgInt(0)) switch
    {
        WakeResult.Woken => 0,
        WakeResult.NoSuchThread => AbiConstants.PEBBLES_ESRCH,
        _ => AbiConstants.PEBBLES_ESTATE,
    };

    /// <summary>Pebbles' sleep(ticks): negative is an error, 0 returns at once.</summary>
    private long PebblesSleep()
    {
        int ticks = ArgInt(0);
        if (ticks < 0)
            return AbiConstants.PEBBLES_EINVAL;
        return SleepTicks(ticks) ? 0 : AbiConstants.PEBBLES_EINTR;
    }

    private long GetTicks() => (uint)kernel.Clock.Ticks;

    /// <summary>misbehave(mode): the calling task's threads (and what they create) schedule by that mode.</summary>
    private long Misbehave()
    {
        int mode = ArgInt(0);
        if (!Enum.IsDefined((SchedulingMode)mode))
            return AbiConstants.PEBBLES_EINVAL;
        Process me = Me;
        me.Lock.Acquire();
        me.ForEachThread(t =>
        {
            if (t.Kernel is { } k)
                k.Mode = (SchedulingMode)mode;
        });
        me.Lock.Release();
        return 0;
    }

    /// <summary>Sleeps <paramref name="ticks"/> ticks on the timed sleep queue; false if the sleep ended because the caller must end or took a signal.</summary>
    private bool SleepTicks(long ticks)
    {
        Sched.Clock clock = kernel.Clock;
        long wake = clock.Ticks + ticks;
        while (clock.Ticks < wake)
        {
            if (UserThread.CurrentInterrupted)
                return false;
            kernel.Scheduler.SleepUntil(wake, clock);
        }
        return true;
    }
}
