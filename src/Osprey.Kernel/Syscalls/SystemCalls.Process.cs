using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// fork, exit, wait, kill, getpid, sbrk, sleep, uptime, halt.
public sealed partial class SystemCalls
{
    private long Fork() => kernel.Lifecycle.Fork(MyThread);

    /// <summary>exit(status): the whole task ends, every thread of it, with that status.</summary>
    private long Exit()
    {
        kernel.Lifecycle.EndTask(MyThread, ArgInt(0));
        return 0; // never seen: the thread is gone
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
    /// changes nothing. The task's memory lock makes concurrent sbrks by its threads take turns.
    /// </summary>
    private long Sbrk()
    {
        Process me = Me;
        me.MemoryLock.Lock();
        long result = Sbrk(me, ArgInt(0));
        me.MemoryLock.Unlock();
        return result;
    }

    private long Sbrk(Process me, long n)
    {
        ulong old = me.Size;
        if (n > 0)
        {
            ulong target = old + (ulong)n;
            if (target > PageTable.MaxVirtualAddress || me.PageTable!.Regions.Overlaps(PageTable.RoundUp(old), PageTable.RoundUp(target)))
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
            if ((ulong)(-n) > old - me.PageTable!.ImageStart)
                return -1;
            // The break moves first: a sibling's fault in the lazy heap above it, from now on,
            // finds the page outside the heap instead of mapping it again behind the unmap.
            ulong target = old - (ulong)(-n);
            me.Size = target;
            me.PageTable!.Shrink(old, target);
        }
        return (long)old;
    }

    /// <summary>xv6's sleep(n): n ticks on the timed sleep queue; -1 if killed first. n of 0 or less returns at once.</summary>
    private long Sleep() => SleepTicks(Math.Max(ArgInt(0), 0)) ? 0 : -1;

    private long Uptime() => kernel.Clock.Ticks;

    private long Halt()
    {
        kernel.HaltCleanly();
        return 0;
    }
}
