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
/// protects the counts and queues; it is taken before the scheduler lock.
/// </summary>
public sealed class RwLock : IHeldLock
{
    private readonly Scheduler _scheduler;
    private readonly Spinlock _guard;
    private readonly Queue<KThread> _readersWaiting = new(), _writersWaiting = new();
    private int _readers;
    private KThread? _writer;

    public RwLock(Scheduler scheduler, string name, bool preferWriters = true)
    {
        _scheduler = scheduler;
        Name = name;
        PreferWriters = preferWriters;
        _guard = new Spinlock(name);
    }

    public string Name { get; }

    public bool PreferWriters { get; }

    /// <summary>Acquisitions of either kind, and in Contended those that had to wait.</summary>
    public LockStats Stats { get; } = new();

    /// <summary>The writer, or null while readers hold it or it is free.</summary>
    public KThread? Holder => Volatile.Read(ref _writer);

    /// <summary>Readers holding the lock now.</summary>
    public int Readers => Volatile.Read(ref _readers);

    public void LockRead()
    {
        KThread me = Scheduler.CurrentThread();
        _guard.Acquire();
        Stats.Acquisitions++;
        if (_writer == me)
        {
            _guard.Release();
            throw Panic.Now($"rwlock {Name}: read-locked by its writer");
        }
        if (_writer == null && (!PreferWriters || _writersWaiting.Count == 0))
        {
            _readers++;
            _guard.Release();
            return;
        }
        Stats.Contended++;
        _readersWaiting.Enqueue(me);
        _scheduler.Block(this, _guard); // counted in as a reader when woken
    }

    public void LockWrite()
    {
        KThread me = Scheduler.CurrentThread();
        _guard.Acquire();
        Stats.Acquisitions++;
        if (_writer == me)
        {
            _guard.Release();
            throw Panic.Now($"rwlock {Name}: write-locked again by its writer");
        }
        if (_writer == null && _readers == 0)
        {
            Volatile.Write(ref _writer, me);
            _guard.Release();
            return;
        }
        Stats.Contended++;
        _writersWaiting.Enqueue(me);
        _scheduler.Block(this, _guard); // made the writer when woken
        if (Holder != me)
            throw Panic.Now($"rwlock {Name}: writer woken without being handed the lock");
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
        if (_readers == 0)
            HandOn();
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
            _readers++;
            _scheduler.Unblock(r);
        }
    }

    public override string ToString() => $"rwlock {Name}";
}
