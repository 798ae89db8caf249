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
/// </summary>
public sealed class CondVar
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly Queue<KThread> _waiters = new();

    public CondVar(Scheduler scheduler, string name)
    {
        _scheduler = scheduler;
        Name = name;
        _guard = new Spinlock(name);
    }

    public string Name { get; }

    /// <summary>Waits (in Acquisitions) and signals that woke someone (in Contended).</summary>
    public LockStats Stats { get; } = new();

    /// <summary>Atomically releases <paramref name="mutex"/> and waits for a signal; holds the mutex again on return.</summary>
    public void Wait(Mutex mutex)
    {
        KThread me = Scheduler.CurrentThread();
        if (!mutex.Holding())
            throw Panic.Now($"condvar {Name}: wait without holding {mutex}");
        _guard.Acquire();
        Stats.Acquisitions++;
        _waiters.Enqueue(me);
        mutex.Unlock();
        _scheduler.Block(this, _guard);
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

    public override string ToString() => $"condvar {Name}";
}
