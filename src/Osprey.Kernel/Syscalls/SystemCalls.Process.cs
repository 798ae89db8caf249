using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// fork, exit, wait, kill, getpid, sbrk, sleep, uptime, halt.
public sealed partial class SystemCalls
{
    private long Fork() => kernel.Fork(Me);

    private long Exit()
    {
        kernel.ExitProcess(Me, ArgInt(0));
        return 0; // never seen: the process is gone
    }

    private long Wait()
    {
        Process me = Me;
        ulong statusAddress = ArgAddress(0);
        Func<int, bool>? deliver = statusAddress == 0
            ? null
            : status => me.PageTable!.CopyOut(kernel.Memory, statusAddress, BitConverter.GetBytes(status));
        return kernel.Processes.Wait(me, deliver, out _);
    }

    private long Kill() => kernel.Processes.Kill(ArgInt(0)) ? 0 : -1;

    private long Getpid() => Me.Pid;

    /// <summary>
    /// Grows or shrinks user memory by n bytes and returns the old size. Growing promises the
    /// new pages (a frame reserved for each, the zero frame mapped until the first store), so a
    /// request memory cannot back fails at once, as xv6's programs expect; with --lazy-sbrk it
    /// only moves the break and pages appear on first touch. Shrinking frees at once. Stricter
    /// than xv6: memory past the top of the user address space, or below zero, fails and
    /// changes nothing.
    /// </summary>
    private long Sbrk()
    {
        Process me = Me;
        long n = ArgInt(0);
        ulong old = me.Size;
        if (n > 0)
        {
            ulong target = old + (ulong)n;
            if (target > PageTable.MaxVirtualAddress)
                return -1;
            if (!kernel.Vm.LazySbrk)
            {
                target = me.PageTable!.Promise(old, target);
                if (target == 0)
                    return -1;
            }
            me.Size = target;
        }
        else if (n < 0)
        {
            if ((ulong)(-n) > old)
                return -1;
            me.Size = me.PageTable!.Shrink(old, old - (ulong)(-n));
        }
        return (long)old;
    }

    private long Sleep()
    {
        int n = ArgInt(0);
        var clock = kernel.Clock;
        clock.Lock.Acquire();
        long start = clock.Ticks;
        while (clock.Ticks - start < n)
        {
            if (Me.Killed)
            {
                clock.Lock.Release();
                return -1;
            }
            kernel.Scheduler.Sleep(clock, clock.Lock);
        }
        clock.Lock.Release();
        return 0;
    }

    private long Uptime() => kernel.Clock.Ticks;

    private long Halt()
    {
        kernel.HaltCleanly();
        return 0;
    }
}
