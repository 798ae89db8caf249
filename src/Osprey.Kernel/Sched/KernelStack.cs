using System.Runtime.CompilerServices;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Every kernel thread's host thread has a stack of a fixed <see cref="Size"/> (its kernel
/// stack). The host would kill the whole process on an overflow, with no word about which
/// thread or why, so the kernel checks the stack left at its preemption points (where a CPU's
/// spinlock nesting drops to zero, and each time round the user loop), the way a kernel
/// checks for stack overflow in its timer interrupt, and panics with the thread's name while
/// <see cref="Reserve"/> bytes still remain for the panic itself to unwind on.
/// </summary>
public static unsafe class KernelStack
{
    /// <summary>The stack each kernel thread's host thread is made with.</summary>
    public const int Size = 1 << 20;

    /// <summary>What must be left at a preemption point: room to throw and report a panic.</summary>
    public const int Reserve = 128 << 10;

    // The lowest address this host thread's kernel code may reach: Reserve above the bottom
    // of its stack. 0 on host threads that are not kernel threads (never checked).
    [ThreadStatic] private static nuint _limit;

    [ThreadStatic] private static nuint _base;

    /// <summary>
    /// Called first thing on a kernel thread's host thread: remembers where its stack ends.
    /// The frame calling this is near the top of the stack, so the bottom is taken to be
    /// <see cref="Size"/> below it (a little above the true bottom, which is on the safe side).
    /// </summary>
    internal static void Enter()
    {
        byte here;
        _base = (nuint)(&here);
        _limit = _base - Size + Reserve;
    }

    /// <summary>Bytes of stack left below the caller on this kernel thread, before the reserve.</summary>
    public static long Remaining
    {
        get
        {
            byte here;
            return _limit == 0 ? long.MaxValue : (long)(nuint)(&here) - (long)_limit;
        }
    }

    /// <summary>Bytes of kernel stack in use below the top, on this kernel thread.</summary>
    public static long Used
    {
        get
        {
            byte here;
            return _base == 0 ? 0 : (long)_base - (long)(nuint)(&here);
        }
    }

    /// <summary>A preemption point: panics if this kernel thread is about to run out of stack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        byte here;
        if ((nuint)(&here) < _limit)
            Overflow();
    }

    // Apart, so that Check has no throw in it and inlines into every preemption point.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Overflow() =>
        throw Panic.Now($"kernel stack overflow: {Used} of {Size} bytes used, less than the {Reserve} reserved for a panic left");
}
