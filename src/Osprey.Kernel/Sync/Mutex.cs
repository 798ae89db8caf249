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
/// <see cref="_state"/> says whether it is free, held, or held with waiters. Taking a free
/// mutex and giving one back that nobody waits for is one compare-and-swap each, without the
/// guard (the fast path, as Linux's mutex has). A thread that must wait marks the state
/// "waiters" under <see cref="_guard"/> before it queues, so an unlock either sees the mark and
/// takes the slow path (the guard, the queue, the hand-over), or clears the state first, and
/// then the would-be waiter sees the mutex free and takes it. The guard protects the queue.
/// Lock order: the guard is taken before the scheduler lock.
///
/// It registers with the machine's <see cref="LockRegistry"/> as a sleep lock (see
/// <see cref="LockAccount"/>): contended acquisitions are those that blocked, and with lockdep
/// on every Lock is ordered against the locks the thread and its CPU hold.
/// </summary>
public sealed class Mutex : IHeldLock
{
    private const int Free = 0, Held = 1, HeldWithWaiters = 2;

    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly LockAccount _account;
    private readonly Queue<KThread> _waiters = new();
    private int _state;
    private KThread? _holder;
    private long _heldSince;

    /// <param name="lockClass">Its class in the lock registry and lockdep (its name if not given).</param>
    public Mutex(Scheduler scheduler, string name, string? lockClass = null)
    {
        _scheduler = scheduler;
        Name = name;
        _account = new LockAccount(name, lockClass);
        _guard = new Spinlock(name, _account.Stats);
    }

    public string Name { get; }

    /// <summary>This mutex's figures (written by holders only).</summary>
    public LockStats Stats => _account.Stats;

    /// <summary>Its registration, once it has been taken.</summary>
    public LockEntry? Entry => _account.Entry;

    /// <summary>Unlocks that handed the mutex directly to a waiter.</summary>
    public long HandOffs { get; private set; }

    /// <summary>The holder; null for a moment while an unlock hands it over, so a hint to all but the holder itself.</summary>
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
        if (Holder == me)
            throw Panic.Now($"mutex {Name}: locked again by its holder");
        long start = _account.Begin(me, ordered: true);
        if (Interlocked.CompareExchange(ref _state, Held, Free) == Free)
        {
            Acquired(me, start);
            return;
        }
        _guard.Acquire();
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Free && Interlocked.CompareExchange(ref _state, Held, Free) == Free)
            {
                _guard.Release();
                Acquired(me, start);
                return;
            }
            if (state == HeldWithWaiters || Interlocked.CompareExchange(ref _state, HeldWithWaiters, Held) == Held)
                break;
        }
        _waiters.Enqueue(me);
        _scheduler.Block(this, _guard);
        // Unlock made us the holder before waking us.
        if (Holder != me)
            throw Panic.Now($"mutex {Name}: woken without being handed the lock");
        _account.Count(contended: true);
        _heldSince = _account.Waited(start);
        _account.Hold(me);
    }

    /// <summary>Takes the mutex if it is free; never waits.</summary>
    public bool TryLock()
    {
        KThread me = Scheduler.CurrentThread();
        long start = _account.Begin(me, ordered: false); // a try never waits, so it cannot deadlock
        if (Interlocked.CompareExchange(ref _state, Held, Free) != Free)
            return false;
        Acquired(me, start);
        return true;
    }

    public void Unlock()
    {
        KThread? me = KThread.Current;
        if (_holder == null || _holder != me)
            throw Panic.Now($"mutex {Name}: unlocked by a thread that does not hold it");
        _account.EndHold(_heldSince);
        _account.Forget(me);
        Volatile.Write(ref _holder, null);
        if (Interlocked.CompareExchange(ref _state, Free, Held) == Held)
            return;
        // Someone waits: hand the mutex to the first in line. The state stays held.
        _guard.Acquire();
        KThread next = _waiters.Dequeue();
        if (_waiters.Count == 0)
            Volatile.Write(ref _state, Held);
        Volatile.Write(ref _holder, next);
        HandOffs++;
        _scheduler.Unblock(next);
        _guard.Release();
    }

    /// <summary>Whether the calling thread holds the mutex.</summary>
    public bool Holding() => KThread.Current is { } me && Holder == me;

    private void Acquired(KThread me, long start)
    {
        Volatile.Write(ref _holder, me);
        _account.Count(contended: false);
        _heldSince = start;
        _account.Hold(me);
    }

    /// <summary>The mutex goes away with its object (a task's, when the task is freed): its figures stay in its class's sum.</summary>
    public void Retire() => _account.Retire();

    public override string ToString() => $"mutex {Name}";
}
