using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Sched;

/// <summary>
/// The tick counter (xv6's ticks) and the channel sleepers on time wait on. Ticks come from a
/// <see cref="ITickSource"/>; CPU 0 counts them, every CPU uses them to end time slices.
/// <see cref="Lock"/> protects <see cref="Ticks"/>.
/// </summary>
public sealed class Clock(Scheduler scheduler)
{
    private long _ticks;

    public Spinlock Lock { get; } = new("time");

    public long Ticks => Volatile.Read(ref _ticks);

    /// <summary>One tick passed: count it and wake those sleeping on time.</summary>
    public void Tick()
    {
        Lock.Acquire();
        _ticks++;
        Lock.Release();
        scheduler.Wakeup(this);
    }
}
