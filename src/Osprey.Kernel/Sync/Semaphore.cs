using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A counting semaphore. <see cref="Wait"/> (P) takes a unit or sleeps in a FIFO queue;
/// <see cref="Signal"/> (V) hands its unit straight to the first waiter if there is one, so a
/// late arrival cannot take it first, and otherwise adds it to the count.
/// <see cref="_guard"/> protects the count and the queue; it is taken before the scheduler lock.
/// </summary>
public sealed class Semaphore
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly Queue<KThread> _waiters = new();
    private int _count;

    public Semaphore(Scheduler scheduler, string name, int initial)
    {
        if (initial < 0)
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "a semaphore starts at 0 or more");
        _scheduler = scheduler;
        Name = name;
        _guard = new Spinlock(name);
        _count = initial;
    }

    public string Name { get; }

    /// <summary>Waits (in Acquisitions), and in Contended those that had to sleep.</summary>
    public LockStats Stats { get; } = new();

    /// <summary>Units available now.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Wait()
    {
        KThread me = Scheduler.CurrentThread();
        _guard.Acquire();
        Stats.Acquisitions++;
        if (_count > 0)
        {
            _count--;
            _guard.Release();
            return;
        }
        Stats.Contended++;
        _waiters.Enqueue(me);
        _scheduler.Block(this, _guard); // Signal handed us its unit
    }

    /// <summary>Takes a unit if one is available; never waits.</summary>
    public bool TryWait()
    {
        _guard.Acquire();
        bool took = _count > 0;
        if (took)
        {
            _count--;
            Stats.Acquisitions++;
        }
        _guard.Release();
        return took;
    }

    public void Signal()
    {
        _guard.Acquire();
        if (_waiters.TryDequeue(out KThread? t))
            _scheduler.Unblock(t);
        else
            _count++;
        _guard.Release();
    }

    public override string ToString() => $"semaphore {Name}";
}
