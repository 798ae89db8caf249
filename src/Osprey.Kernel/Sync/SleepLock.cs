using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A lock held across blocking work (disk transfers, long copies): a thread that finds it
/// held sleeps instead of spinning, and may itself sleep while holding it. Unlike a spinlock
/// it belongs to a thread, not a CPU. <see cref="_guard"/> protects <see cref="_holder"/>.
/// </summary>
public sealed class SleepLock
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private KThread? _holder;

    public SleepLock(Scheduler scheduler, string name)
    {
        _scheduler = scheduler;
        Name = name;
        _guard = new Spinlock(name);
    }

    public string Name { get; }

    public LockStats Stats => _guard.Stats;

    public long Sleeps { get; private set; }

    public void Acquire()
    {
        _guard.Acquire();
        Insight.LockWait? traced = _holder != null ? Cpu.Mine?.Trace?.Wait(Name, _holder) : null;
        while (_holder != null)
        {
            Sleeps++;
            _scheduler.Sleep(this, _guard);
        }
        traced?.End();
        _holder = Scheduler.CurrentThread();
        _guard.Release();
    }

    public void Release()
    {
        _guard.Acquire();
        if (_holder != KThread.Current)
            throw Panic.Now($"releasesleep {Name}: not the holder");
        _holder = null;
        _guard.Release();
        _scheduler.Wakeup(this);
    }

    public bool Holding()
    {
        _guard.Acquire();
        bool mine = _holder != null && _holder == KThread.Current;
        _guard.Release();
        return mine;
    }

    public override string ToString() => $"sleeplock {Name}";
}
