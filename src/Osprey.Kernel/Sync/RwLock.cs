using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A reader-writer lock: any number of readers, or one writer. Waiters sleep in two FIFO
/// queues and are handed the lock directly, as with <see cref="Mutex"/>: a writer that
/// leaves wakes the next writer, or else every waiting reader at once (counted in before
/// they run), and the last reader out wakes the next writer.
///
/// With writer preference (the default) a reader that arrives while a writer holds or waits
/// for the lock waits too, so a stream of readers cannot starve writers; with reader
/// preference a reader gets in whenever no writer holds the lock, and a leaving writer lets
/// the waiting readers in first. <see cref="Downgrade"/> turns the writer into a reader
/// without a moment in which another writer could get in.
///
/// The writer is the lock's <see cref="Holder"/> (readers are only counted). <see cref="_guard"/>
/// protects the counts and queues and the figures; it is taken before the scheduler lock.
///
/// It registers with the machine's <see cref="LockRegistry"/> as a sleep lock, and with lockdep
/// on both kinds of acquisition are ordered (a reader can deadlock against a writer too), each
/// holder listing it among its held sleep locks (see <see cref="LockAccount"/>).
/// </summary>
public sealed class RwLock : IHeldLock
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly LockAccount _account;
    private readonly Queue<KThread> _readersWaiting = new(), _writersWaiting = new();
    private int _readers;
    private KThread? _writer;
    private long _writeSince, _readSince;

    /// <param name="lockClass">Its class in the lock registry and lockdep (its name if not given).</param>
    public RwLock(Scheduler scheduler, string name, bool preferWriters = true, string? lockClass = null)
    {
        _scheduler = scheduler;
        Name = name;
        PreferWriters = preferWriters;
        _account = new LockAccount(name, lockClass);
        _guard = new Spinlock(name, _account.Stats);
    }

    public string Name { get; }

    public bool PreferWriters { get; }

    /// <summary>
    /// Acquisitions of either kind, counted on arrival, and in Contended those that had to wait;
    /// hold times are a writer's, and the read side's from its first reader in to its last out.
    /// Written under the guard.
    /// </summary>
    public LockStats Stats => _account.Stats;

    /// <summary>Its registration, once it has been taken.</summary>
    public LockEntry? Entry => _account.Entry;

    /// <summary>The writer, or null while readers hold it or it is free.</summary>
    public KThread? Holder => Volatile.Read(ref _writer);

    /// <summary>Readers holding the lock now.</summary>
    public int Readers => Volatile.Read(ref _readers);

    public void LockRead()
    {
        KThread me = Scheduler.CurrentThread();
        if (Holder == me)
            throw Panic.Now($"rwlock {Name}: read-locked by its writer");
        long start = _account.Begin(me, ordered: true);
        _guard.Acquire();
        if (_writer == null && (!PreferWriters || _writersWaiting.Count == 0))
        {
            _account.Count(contended: false);
            if (_readers++ == 0)
                _readSince = start;
            _account.Hold(me);
            _guard.Release();
            return;
        }
        _account.Count(contended: true);
        _readersWaiting.Enqueue(me);
        _scheduler.Block(this, _guard); // counted in as a reader when woken
        _guard.Acquire();
        _account.Waited(start);
        _account.Hold(me);
        _guard.Release();
    }

    public void LockWrite()
    {
        KThread me = Scheduler.CurrentThread();
        if (Holder == me)
            throw Panic.Now($"rwlock {Name}: write-locked again by its writer");
        long start = _account.Begin(me, ordered: true);
        _guard.Acquire();
        if (_writer == null && _readers == 0)
        {
            _account.Count(contended: false);
            Volatile.Write(ref _writer, me);
            _writeSince = start;
            _account.Hold(me);
            _guard.Release();
            return;
        }
        _account.Count(contended: true);
        _writersWaiting.Enqueue(me);
        _scheduler.Block(this, _guard); // made the writer when woken
        if (Holder != me)
            throw Panic.Now($"rwlock {Name}: writer woken without being handed the lock");
        _guard.Acquire();
        _writeSince = _account.Waited(start);
        _account.Hold(me);
        _guard.Release();
    }

    public void UnlockRead()
    {
        _guard.Acquire();
        if (_readers == 0)
        {
            _guard.Release();
            throw Panic.Now($"rwlock {Name}: read-unlocked with no readers");
        }
        _readers--;
        _account.Forget(KThread.Current!);
        if (_readers == 0)
        {
            _account.EndHold(_readSince);
            HandOn();
        }
        _guard.Release();
    }

    public void UnlockWrite()
    {
        _guard.Acquire();
        if (_writer == null || _writer != KThread.Current)
        {
            _guard.Release();
            throw Panic.Now($"rwlock {Name}: write-unlocked by a thread that is not its writer");
        }
        _account.EndHold(_writeSince);
        _account.Forget(_writer);
        Volatile.Write(ref _writer, null);
        HandOn();
        _guard.Release();
    }

    /// <summary>Releases whichever kind the caller holds (the writer's, if it is the writer).</summary>
    public void Unlock()
    {
        if (Holder != null && Holder == KThread.Current)
            UnlockWrite();
        else
            UnlockRead();
    }

    /// <summary>
    /// The writer becomes a reader without letting go. Waiting readers come in with it unless
    /// writers wait and have preference (then they still wait behind those writers).
    /// </summary>
    public void Downgrade()
    {
        _guard.Acquire();
        if (_writer == null || _writer != KThread.Current)
        {
            _guard.Release();
            throw Panic.Now($"rwlock {Name}: downgraded by a thread that is not its writer");
        }
        _account.EndHold(_writeSince); // still listed as held, now as a reader
        _readSince = LockAccount.Now();
        Volatile.Write(ref _writer, null);
        _readers = 1;
        if (!PreferWriters || _writersWaiting.Count == 0)
            AdmitReaders();
        _guard.Release();
    }

    /// <summary>Caller holds the guard; the lock is free. Hands it to whoever is next by the preference.</summary>
    private void HandOn()
    {
        bool writerNext = PreferWriters ? _writersWaiting.Count > 0 : _readersWaiting.Count == 0 && _writersWaiting.Count > 0;
        if (writerNext)
        {
            KThread w = _writersWaiting.Dequeue();
            Volatile.Write(ref _writer, w);
            _scheduler.Unblock(w);
        }
        else
        {
            AdmitReaders();
        }
    }

    private void AdmitReaders()
    {
        while (_readersWaiting.TryDequeue(out KThread? r))
        {
            if (_readers++ == 0)
                _readSince = LockAccount.Now();
            _scheduler.Unblock(r);
        }
    }

    /// <summary>The lock goes away with its object: its figures stay in its class's sum.</summary>
    public void Retire() => _account.Retire();

    public override string ToString() => $"rwlock {Name}";
}
