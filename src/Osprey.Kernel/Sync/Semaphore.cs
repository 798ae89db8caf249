using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A counting semaphore. <see cref="Wait"/> (P) takes a unit or sleeps in a FIFO queue;
/// <see cref="Signal"/> (V) hands its unit straight to the first waiter if there is one, so a
/// late arrival cannot take it first, and otherwise adds it to the count.
/// <see cref="_guard"/> protects the count, the queue and the figures; it is taken before the
/// scheduler lock.
///
/// It registers with the machine's <see cref="LockRegistry"/> as a sleep lock: its acquisitions
/// are the waits (P), contended those that blocked, with their wait times. It has no holder (V
/// may come from any thread), so it has no hold times and lockdep does not order it.
/// </summary>
public sealed class Semaphore
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly LockAccount _account;
    private readonly Queue<KThread> _waiters = new();
    private int _count;

    /// <param name="lockClass">Its class in the lock registry (its name if not given).</param>
    public Semaphore(Scheduler scheduler, string name, int initial, string? lockClass = null)
    {
        if (initial < 0)
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "a semaphore starts at 0 or more");
        _scheduler = scheduler;
        Name = name;
        _account = new LockAccount(name, lockClass);
        _guard = new Spinlock(name, _account.Stats);
        _count = initial;
    }

    public string Name { get; }

    /// <summary>Waits (in Acquisitions), and in Contended those that had to sleep.</summary>
    public LockStats Stats => _account.Stats;

    /// <summary>Its registration, once it has been waited on.</summary>
    public LockEntry? Entry => _account.Entry;

    /// <summary>Units available now.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Wait()
    {
        KThread me = Scheduler.CurrentThread();
        long start = _account.Begin(me, ordered: false);
        _guard.Acquire();
        if (_count > 0)
        {
            _account.Count(contended: false);
            _count--;
            _guard.Release();
            return;
        }
        _account.Count(contended: true);
        _waiters.Enqueue(me);
        _scheduler.Block(this, _guard); // Signal handed us its unit
        _guard.Acquire();
        _account.Waited(start);
        _guard.Release();
    }

    /// <summary>Takes a unit if one is available; never waits.</summary>
    public bool TryWait()
    {
        _account.Begin(Scheduler.CurrentThread(), ordered: false);
        _guard.Acquire();
        bool took = _count > 0;
        if (took)
        {
            _count--;
            _account.Count(contended: false);
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

    /// <summary>The semaphore goes away with its object: its figures stay in its class's sum.</summary>
    public void Retire() => _account.Retire();

    public override string ToString() => $"semaphore {Name}";
}
