using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A kernel mutex: a thread that finds it held sleeps (it is Blocked, not spinning) in a FIFO
/// queue, and <see cref="Unlock"/> hands ownership straight to the first waiter and makes it
/// runnable. Nobody can barge in between, so waiters get the lock in the order they came and
/// none starves. The mutex knows its holder, which Pebbles' yield follows (a thread waiting
/// here stands for the holder) and lockdep will use. A holder may sleep or block while
/// holding it; relocking it, or unlocking it without holding it, is a kernel bug and panics.
///
/// <see cref="_guard"/> protects the holder and the queue. Lock order: the guard is taken
/// before the scheduler lock (handing over makes the waiter runnable under it).
/// </summary>
public sealed class Mutex : IHeldLock
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly Queue<KThread> _waiters = new();
    private KThread? _holder;

    public Mutex(Scheduler scheduler, string name)
    {
        _scheduler = scheduler;
        Name = name;
        _guard = new Spinlock(name);
    }

    public string Name { get; }

    /// <summary>Acquisitions, and in Contended those that had to wait.</summary>
    public LockStats Stats { get; } = new();

    /// <summary>Unlocks that handed the mutex directly to a waiter.</summary>
    public long HandOffs { get; private set; }

    public KThread? Holder => Volatile.Read(ref _holder);

    /// <summary>Threads waiting for the mutex now.</summary>
    public int Waiting
    {
        get
        {
            _guard.Acquire();
            int n = _waiters.Count;
            _guard.Release();
            return n;
        }
    }

    public void Lock()
    {
        KThread me = Scheduler.CurrentThread();
        _guard.Acquire();
        Stats.Acquisitions++;
        if (_holder == null)
        {
            Volatile.Write(ref _holder, me);
            _guard.Release();
            return;
        }
        if (_holder == me)
        {
            _guard.Release();
            throw Panic.Now($"mutex {Name}: locked again by its holder");
        }
        Stats.Contended++;
        _waiters.Enqueue(me);
        _scheduler.Block(this, _guard);
        // Unlock made us the holder before waking us.
        if (Holder != me)
            throw Panic.Now($"mutex {Name}: woken without being handed the lock");
    }

    /// <summary>Takes the mutex if it is free; never waits.</summary>
    public bool TryLock()
    {
        KThread me = Scheduler.CurrentThread();
        _guard.Acquire();
        bool free = _holder == null;
        if (free)
        {
            Stats.Acquisitions++;
            Volatile.Write(ref _holder, me);
        }
        _guard.Release();
        return free;
    }

    public void Unlock()
    {
        _guard.Acquire();
        if (_holder == null || _holder != KThread.Current)
        {
            _guard.Release();
            throw Panic.Now($"mutex {Name}: unlocked by a thread that does not hold it");
        }
        if (_waiters.TryDequeue(out KThread? next))
        {
            Volatile.Write(ref _holder, next);
            HandOffs++;
            _scheduler.Unblock(next);
        }
        else
        {
            Volatile.Write(ref _holder, null);
        }
        _guard.Release();
    }

    /// <summary>Whether the calling thread holds the mutex.</summary>
    public bool Holding() => KThread.Current is { } me && Holder == me;

    public override string ToString() => $"mutex {Name}";
}
