using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Sched;

/// <summary>
/// The tick counter (xv6's ticks). Ticks come from a <see cref="ITickSource"/>; CPU 0 counts
/// them, every CPU uses them to end time slices. Threads sleeping on time wait in the
/// scheduler's timed sleep queue (<see cref="Scheduler.SleepUntil"/>), and each tick wakes
/// the ones that are due. <see cref="Lock"/> protects <see cref="Ticks"/>.
/// </summary>
public sealed class Clock(Scheduler scheduler)
{
    private long _ticks;

    public Spinlock Lock { get; } = new("time");

    public long Ticks => Volatile.Read(ref _ticks);

    /// <summary>Called on every tick after the sleepers are woken (alarms).</summary>
    public Action<long>? Ticked { get; set; }

    /// <summary>One tick passed: count it and wake the sleepers now due.</summary>
    public void Tick()
    {
        Lock.Acquire();
        long now = ++_ticks;
        Lock.Release();
        scheduler.WakeDue(now);
        Ticked?.Invoke(now);
    }
}
