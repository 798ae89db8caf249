using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A lock held across blocking work (disk transfers, long copies): a thread that finds it
/// held sleeps instead of spinning, and may itself sleep while holding it. Unlike a spinlock
/// it belongs to a thread, not a CPU. <see cref="_guard"/> protects <see cref="_holder"/> and
/// the figures.
///
/// It registers with its machine's <see cref="LockRegistry"/> as a spinlock does: an acquisition
/// is contended when it had to sleep, its wait runs from the call to the moment it holds the
/// lock, and its spin iterations are the failed test-and-sets on the guard. With lockdep on it
/// is ordered against the thread's other sleep locks and the CPU's spinlocks.
/// </summary>
public sealed class SleepLock
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly string? _className;
    private KThread? _holder;
    private LockEntry? _entry;
    private long _acquiredAt;

    public SleepLock(Scheduler scheduler, string name, string? lockClass = null)
    {
        _scheduler = scheduler;
        Name = name;
        _className = lockClass;
        _guard = new Spinlock(name, Stats);
    }

    public string Name { get; }

    public LockStats Stats { get; } = new();

    /// <summary>This lock's registration, once it has been taken.</summary>
    public LockEntry? Entry => _entry;

    /// <summary>Acquisitions that had to sleep.</summary>
    public long Sleeps => Stats.Contended;

    public void Acquire() => Acquire(0);

    /// <summary>Takes the lock as the <paramref name="subclass"/>th of its class this thread holds (see <see cref="Spinlock.AcquireNested"/>).</summary>
    public void AcquireNested(int subclass) => Acquire(subclass);

    private void Acquire(int subclass)
    {
        KThread me = Scheduler.CurrentThread();
        Cpu cpu = me.Cpu!;
        LockRegistry locks = cpu.Locks;
        LockEntry entry = _entry ?? locks.Register(ref _entry, Name, _className, Stats, LockKind.Sleep);
        Lockdep? lockdep = locks.Dependencies;
        lockdep?.CheckAcquire(cpu, entry, subclass, me.HeldSleepLocks);

        long start = locks.Now();
        bool slept = false;
        _guard.Acquire();
        while (_holder != null)
        {
            slept = true;
            _scheduler.Sleep(this, _guard);
        }
        _holder = me;
        long now = slept ? locks.Now() : start;
        _acquiredAt = now;
        Stats.Acquisitions++;
        if (slept)
        {
            Stats.Contended++;
            Stats.RecordWait(locks.ToReportUnits(now - start));
        }
        _guard.Release();
        if (lockdep != null)
            me.HeldSleepLocks.Push(entry, entry.Class.Node(subclass, lockdep), inInterrupt: false);
    }

    public void Release()
    {
        KThread? me = KThread.Current;
        LockRegistry? locks = me?.Cpu?.Locks;
        _guard.Acquire();
        if (_holder != me || locks == null)
            throw Panic.Now($"releasesleep {Name}: not the holder");
        _holder = null;
        Stats.RecordHold(locks.ToReportUnits(locks.Now() - _acquiredAt));
        _guard.Release();
        if (locks.Dependencies != null && _entry != null)
            me!.HeldSleepLocks.Remove(_entry);
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
