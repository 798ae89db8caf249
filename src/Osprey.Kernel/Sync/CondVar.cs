using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A condition variable over a kernel <see cref="Mutex"/>. <see cref="Wait"/> joins the
/// queue of waiters before it lets go of the mutex, and both happen under <see cref="_guard"/>,
/// which <see cref="Signal"/> and <see cref="Broadcast"/> take too; so a signal sent after the
/// waiter released the mutex always finds it in the queue: no lost wake-up. Waiters are woken
/// in FIFO order and take the mutex again before Wait returns (as any condition variable, the
/// caller rechecks its condition in a loop).
///
/// Lock order: the guard, then the mutex's guard, then the scheduler lock.
///
/// It registers with the machine's <see cref="LockRegistry"/> as a sleep lock: its acquisitions
/// are the waits, contended those that were woken by a signal or broadcast, and their wait time
/// runs until the wake-up (retaking the mutex is the mutex's own wait). It has no holder, so it
/// has no hold times; lockdep orders the mutex it retakes, not the condition variable.
/// </summary>
public sealed class CondVar
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly LockAccount _account;
    private readonly Queue<KThread> _waiters = new();

    /// <param name="lockClass">Its class in the lock registry (its name if not given).</param>
    public CondVar(Scheduler scheduler, string name, string? lockClass = null)
    {
        _scheduler = scheduler;
        Name = name;
        _account = new LockAccount(name, lockClass);
        _guard = new Spinlock(name, _account.Stats);
    }

    public string Name { get; }

    /// <summary>Waits (in Acquisitions), and in Contended those a signal or broadcast woke (counted by the waker). Written under the guard.</summary>
    public LockStats Stats => _account.Stats;

    /// <summary>Its registration, once it has been waited on.</summary>
    public LockEntry? Entry => _account.Entry;

    /// <summary>Atomically releases <paramref name="mutex"/> and waits for a signal; holds the mutex again on return.</summary>
    public void Wait(Mutex mutex)
    {
        KThread me = Scheduler.CurrentThread();
        if (!mutex.Holding())
            throw Panic.Now($"condvar {Name}: wait without holding {mutex}");
        long start = _account.Begin(me, ordered: false);
        _guard.Acquire();
        Stats.Acquisitions++;
        _waiters.Enqueue(me);
        mutex.Unlock();
        _scheduler.Block(this, _guard);
        _guard.Acquire();
        _account.Waited(start);
        _guard.Release();
        mutex.Lock();
    }

    /// <summary>Wakes the longest waiter, if any.</summary>
    public void Signal()
    {
        _guard.Acquire();
        if (_waiters.TryDequeue(out KThread? t))
        {
            Stats.Contended++;
            _scheduler.Unblock(t);
        }
        _guard.Release();
    }

    /// <summary>Wakes every waiter.</summary>
    public void Broadcast()
    {
        _guard.Acquire();
        while (_waiters.TryDequeue(out KThread? t))
        {
            Stats.Contended++;
            _scheduler.Unblock(t);
        }
        _guard.Release();
    }

    /// <summary>The condition variable goes away with its object: its figures stay in its class's sum.</summary>
    public void Retire() => _account.Retire();

    public override string ToString() => $"condvar {Name}";
}
