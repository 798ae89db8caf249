using System.Runtime.CompilerServices;
using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Mem;

/// <summary>
/// Fault injection for the frame allocator: a kernel thread asks that its Nth frame request
/// from now fail (an allocation, or a reservation, which fails as if memory had run out), so a
/// test can drive fork and exec into every failure point they have and check that each undoes
/// what it did. Like Linux's fail_page_alloc with a task filter: only the armed thread's
/// requests are counted and failed, so other processes run as usual.
///
/// Each armed thread's state is touched only by that thread; the table is keyed weakly, so a
/// thread that ends armed costs nothing once it is gone. While no thread is armed an
/// allocation pays one volatile read.
/// </summary>
public sealed class AllocationFaults
{
    private readonly ConditionalWeakTable<KThread, Injection> _armed = new();
    private int _armedThreads;
    private long _injected;

    /// <summary>Requests failed on purpose so far.</summary>
    public long Injected => Volatile.Read(ref _injected);

    /// <summary>
    /// For the calling kernel thread: fail its <paramref name="nth"/> frame request from now
    /// (once), or stop counting when <paramref name="nth"/> is 0. Returns how many requests the
    /// thread made since its previous call (0 on the first).
    /// </summary>
    public long Arm(int nth)
    {
        KThread thread = KThread.Current ?? throw Panic.Now("fault injection armed outside a kernel thread");
        long made = 0;
        if (_armed.TryGetValue(thread, out Injection? old))
        {
            made = old.Requests;
            _armed.Remove(thread);
            Interlocked.Decrement(ref _armedThreads);
        }
        if (nth > 0)
        {
            _armed.Add(thread, new Injection { Countdown = nth });
            Interlocked.Increment(ref _armedThreads);
        }
        return made;
    }

    /// <summary>Counts a frame request of the calling thread; true when it is the one to fail.</summary>
    internal bool ShouldFail()
    {
        if (Volatile.Read(ref _armedThreads) == 0 || KThread.Current is not { } thread || !_armed.TryGetValue(thread, out Injection? injection))
            return false;
        injection.Requests++;
        if (injection.Countdown == 0 || --injection.Countdown != 0)
            return false;
        Interlocked.Increment(ref _injected);
        return true;
    }

    private sealed class Injection
    {
        public int Countdown;
        public long Requests;
    }
}
