using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel.Kkv;

/// <summary>
/// The kernel key-value store (Columbia W4118's kkv): a hash table of
/// <see cref="AbiConstants.KKV_BUCKETS"/> buckets, bucket = key mod 17, behind four system
/// calls (Syscalls/SystemCalls.Kkv.cs). Every result is 0 (destroy: the pairs it removed) or a
/// negative Linux errno.
///
/// Locks, outermost first:
/// - <see cref="_lifetime"/>, a reader-writer lock, guards whether the store exists: put and
///   get hold the read side (so they run in parallel on different buckets), init and destroy
///   the write side. It is a big-reader lock (a spinlock per CPU; a reader takes its own
///   CPU's, a writer all of them): with one reader count, every put and get on every CPU
///   wrote the same cache line twice, which is what kept puts and gets on different buckets
///   from scaling. Its read side is a spinlock, so nothing sleeps under it either. <see cref="_initialized"/> is read once without it first (the
///   double-checked fast path: a call on a store that does not exist fails without touching
///   the lock), and again under it, which is the answer that counts.
/// - each bucket's spinlock (one class, <c>kkv.bucket</c>) protects its list and its entries.
///   Nothing allocates, frees or copies user memory under it: a put allocates and fills its
///   entry and value first, a get copies the value out after, and whatever a call replaced or
///   took out is freed once the lock is gone. Only the sleep of a blocking get gives it up
///   inside (atomically, as xv6's sleep does with its condition lock).
/// A blocked getter holds no lock while it sleeps, so destroy can take the write side; it
/// marks every entry with waiters dead and wakes them (they return EPERM), and the last waiter
/// out frees its placeholder.
/// </summary>
public sealed class KeyValueStore
{
    public const int BucketCount = AbiConstants.KKV_BUCKETS;

    private readonly Scheduler _scheduler;
    private readonly KkvMemory _memory;
    private readonly BigReaderLock _lifetime;
    private readonly KkvBucket[] _buckets;

    // Made right after the bucket array, which every put and get reads, so that the first
    // bucket's lock (written by whoever works on bucket 0) does not start in its last line.
    private readonly CacheLineGap _bucketsGap;
    private volatile bool _initialized;

    public KeyValueStore(Scheduler scheduler, KkvMemory memory, bool globalLock)
    {
        _scheduler = scheduler;
        _memory = memory;
        _lifetime = new BigReaderLock("kkv.lifetime", scheduler.Cpus.Count);
        GlobalLock = globalLock;
        Spinlock? shared = globalLock ? new Spinlock("kkv.global") : null;
        _buckets = new KkvBucket[BucketCount];
        _bucketsGap = CacheLineGap.Make();
        for (int i = 0; i < BucketCount; i++)
            _buckets[i] = new KkvBucket(shared ?? new Spinlock($"kkv.bucket{i}", "kkv.bucket"));
    }

    /// <summary>
    /// A bug planted on purpose (--kkv-planted-bug; teaching and osprey explore's tests only):
    /// destroy frees the placeholders of blocked getters as if nobody waited on them, and wakes
    /// nobody. A getter that counted itself on one before the destroy sleeps for ever (and the
    /// slot it still points at is free); one that comes after sees EPERM, so only some
    /// interleavings fail.
    /// </summary>
    public bool PlantedDestroyBug { get; init; }

    /// <summary>One lock for every bucket (--kkv-global-lock), instead of one each.</summary>
    public bool GlobalLock { get; }

    public bool Initialized => _initialized;

    /// <summary>The buckets' locks, for the statistics (with a global lock, one lock 17 times).</summary>
    public IEnumerable<Spinlock> BucketLocks => _buckets.Select(b => b.Lock).Distinct();

    public static int BucketOf(uint key) => (int)(key % BucketCount);

    public int Init(int flags)
    {
        if (flags != 0)
            return -AbiConstants.EINVAL;
        if (_initialized)
            return -AbiConstants.EPERM;
        _lifetime.LockWrite();
        bool already = _initialized;
        _initialized = true;
        _lifetime.UnlockWrite();
        return already ? -AbiConstants.EPERM : 0;
    }

    /// <summary>Removes every pair and wakes every blocked getter (they return EPERM); the number of pairs removed.</summary>
    public int Destroy(int flags)
    {
        if (flags != 0)
            return -AbiConstants.EINVAL;
        if (!_initialized)
            return -AbiConstants.EPERM;
        _lifetime.LockWrite();
        if (!_initialized)
        {
            _lifetime.UnlockWrite();
            return -AbiConstants.EPERM;
        }
        _initialized = false;
        int removed = 0;
        var toFree = new List<KkvEntry>();
        var values = new List<ulong>();
        var toWake = new List<KkvEntry>();
        foreach (KkvBucket b in _buckets)
        {
            b.Lock.Acquire();
            for (KkvEntry? e = b.TakeAll(); e != null;)
            {
                KkvEntry? next = e.Next;
                e.Next = null;
                if (e.HasValue)
                {
                    removed++;
                    if (e.Value != 0)
                        values.Add(e.Value);
                    e.Value = 0;
                    e.HasValue = false;
                }
                if (e.Waiters > 0 && !PlantedDestroyBug)
                {
                    e.Dead = true; // its last waiter frees it
                    toWake.Add(e);
                }
                else
                {
                    toFree.Add(e);
                }
                e = next;
            }
            b.Lock.Release();
        }
        foreach (KkvEntry e in toWake)
            _scheduler.Wakeup(e);
        _lifetime.UnlockWrite();
        foreach (ulong v in values)
            _memory.FreeValue(v);
        foreach (KkvEntry e in toFree)
            _memory.FreeEntry(e.Slot);
        _memory.GiveBackFrames();
        return removed;
    }

    /// <summary>
    /// Stores a copy of <paramref name="value"/> (already copied in from the user) under
    /// <paramref name="key"/>, replacing its value if it has one, and wakes the getters
    /// waiting for it.
    /// </summary>
    public int Put(uint key, ReadOnlySpan<byte> value, int flags)
    {
        if (flags != 0 || value.Length > AbiConstants.KKV_MAX_VALUE)
            return -AbiConstants.EINVAL;
        if (!_initialized)
            return -AbiConstants.EPERM;
        // Everything the put may need, made before any lock.
        ulong buffer = 0;
        if (value.Length > 0)
        {
            buffer = _memory.AllocateValue(value.Length);
            if (buffer == 0)
                return -AbiConstants.ENOMEM;
            _memory.Memory.Write(buffer, value);
        }
        KkvEntry? fresh = NewEntry(key);
        if (fresh == null)
        {
            if (buffer != 0)
                _memory.FreeValue(buffer);
            return -AbiConstants.ENOMEM;
        }

        _lifetime.LockRead();
        if (!_initialized)
        {
            _lifetime.UnlockRead();
            FreeEntryAndValue(fresh, buffer);
            return -AbiConstants.EPERM;
        }
        KkvBucket b = _buckets[BucketOf(key)];
        ulong replaced = 0;
        bool wake = false;
        b.Lock.Acquire();
        KkvEntry e = EntryLocked(b, key, ref fresh);
        if (e.HasValue)
            replaced = e.Value;
        wake = StoreLocked(e, buffer, value.Length);
        b.Lock.Release();
        if (wake)
            _scheduler.Wakeup(e);
        _lifetime.UnlockRead();

        if (fresh != null)
            _memory.FreeEntry(fresh.Slot);
        if (replaced != 0)
            _memory.FreeValue(replaced);
        return 0;
    }

    /// <summary>
    /// Takes the pair for <paramref name="key"/> out and hands its value to
    /// <paramref name="destination"/> (which copies it to the user; the caller checked the
    /// destination first). With KKV_BLOCK an absent key is waited for: the getter counts
    /// itself on a placeholder entry and sleeps until a put fills it (EPERM if a destroy comes
    /// first, EINTR if the thread is interrupted by a signal or is ending). If
    /// <paramref name="destination"/> fails after all (another thread unmapped the buffer), the
    /// value goes back unless the key has a new one by then, and the result is EFAULT.
    /// </summary>
    public int Get<TDestination>(uint key, int flags, ref TDestination destination)
        where TDestination : struct, IKkvDestination
    {
        if ((flags & ~AbiConstants.KKV_BLOCK) != 0)
            return -AbiConstants.EINVAL;
        if (!_initialized)
            return -AbiConstants.EPERM;
        bool block = (flags & AbiConstants.KKV_BLOCK) != 0;
        KkvEntry? spare = null;
        if (block && (spare = NewEntry(key)) == null)
            return -AbiConstants.ENOMEM;

        _lifetime.LockRead();
        if (!_initialized)
        {
            _lifetime.UnlockRead();
            FreeEntryAndValue(spare, 0);
            return -AbiConstants.EPERM;
        }
        KkvBucket b = _buckets[BucketOf(key)];
        int result = 0;
        Taken taken = default;
        KkvEntry? waitOn = null;
        b.Lock.Acquire();
        KkvEntry? e = b.Find(key);
        if (e != null && e.HasValue)
        {
            taken = TakeLocked(b, e);
        }
        else if (!block)
        {
            result = -AbiConstants.ENOENT;
        }
        else
        {
            if (e == null)
            {
                e = spare!;
                spare = null;
                b.Add(e);
            }
            e.Waiters++;
            waitOn = e;
        }
        b.Lock.Release();
        _lifetime.UnlockRead();

        if (waitOn != null)
            result = Wait(b, waitOn, out taken);
        FreeEntryAndValue(spare, 0);
        if (taken.Entry != null)
            _memory.FreeEntry(taken.Entry.Slot);
        if (result != 0)
            return result;

        // A value is at most KKV_MAX_VALUE (one page) long, so its copy fits on the stack.
        Span<byte> bytes = stackalloc byte[taken.Size];
        if (taken.Value != 0)
            _memory.Memory.Read(taken.Value, bytes);
        if (!destination.Deliver(bytes))
        {
            Restore(key, taken);
            return -AbiConstants.EFAULT;
        }
        if (taken.Value != 0)
            _memory.FreeValue(taken.Value);
        return 0;
    }

    /// <summary>
    /// The store's figures, as --kkvstats prints them. Called with no CPU (the host, once the
    /// machine has halted) it reads them without the bucket locks: nothing runs any more.
    /// </summary>
    public string Describe()
    {
        bool locked = Cpu.Mine != null;
        var text = new System.Text.StringBuilder();
        int pairs = 0, waiters = 0, placeholders = 0;
        var lengths = new int[BucketCount];
        for (int i = 0; i < BucketCount; i++)
        {
            KkvBucket b = _buckets[i];
            if (locked)
                b.Lock.Acquire();
            (int p, int w) = b.Count();
            lengths[i] = b.Length;
            if (locked)
                b.Lock.Release();
            pairs += p;
            waiters += w;
            placeholders += lengths[i] - p;
        }
        text.Append($"kkv: {(_initialized ? "initialized" : "not initialized")}, {(GlobalLock ? "one global lock" : "a lock per bucket")}\n");
        text.Append($"kkv: {pairs} pairs, {placeholders} placeholders, {waiters} waiting getters\n");
        text.Append("kkv: bucket lengths " + string.Join(' ', lengths) + "\n");
        if (GlobalLock)
        {
            Spinlock l = _buckets[0].Lock;
            text.Append($"kkv: lock {l.Name}: {l.Stats.Acquisitions} acquisitions, {l.Stats.Contended} contended\n");
        }
        else
        {
            text.Append($"kkv: locks kkv.bucket: {_buckets.Sum(b => b.Lock.Stats.Acquisitions)} acquisitions, {_buckets.Sum(b => b.Lock.Stats.Contended)} contended\n");
            text.Append("kkv: acquisitions by bucket " + string.Join(' ', _buckets.Select(b => b.Lock.Stats.Acquisitions)) + "\n");
        }
        text.Append($"kkv: lifetime rwlock: {_lifetime.Acquisitions} acquisitions, {_lifetime.Contended} contended\n");
        return text.ToString();
    }

    /// <summary>What a get took out of the table: the value, and the entry if the get emptied it.</summary>
    private readonly record struct Taken(ulong Value, int Size, KkvEntry? Entry);

    /// <summary>Caller holds b's lock. The key's entry; if it has none, <paramref name="fresh"/> becomes it (and the caller's fresh is null).</summary>
    private static KkvEntry EntryLocked(KkvBucket b, uint key, ref KkvEntry? fresh)
    {
        KkvEntry? e = b.Find(key);
        if (e == null)
        {
            e = fresh!;
            fresh = null;
            b.Add(e);
        }
        return e;
    }

    /// <summary>Caller holds the entry's bucket lock. Gives it a value; whether getters wait for it.</summary>
    private static bool StoreLocked(KkvEntry e, ulong value, int size)
    {
        e.Value = value;
        e.Size = size;
        e.HasValue = true;
        return e.Waiters > 0;
    }

    /// <summary>Caller holds b's lock and e has a value. Takes the value; the entry goes too unless getters wait on it.</summary>
    private static Taken TakeLocked(KkvBucket b, KkvEntry e)
    {
        var taken = new Taken(e.Value, e.Size, null);
        e.Value = 0;
        e.Size = 0;
        e.HasValue = false;
        if (e.Waiters == 0)
        {
            b.Remove(e);
            taken = taken with { Entry = e };
        }
        return taken;
    }

    /// <summary>A blocked get's sleep on its (counted) placeholder until it has a value, dies, or the caller is interrupted.</summary>
    private int Wait(KkvBucket b, KkvEntry e, out Taken taken)
    {
        taken = default;
        int result;
        b.Lock.Acquire();
        while (true)
        {
            if (e.Dead)
            {
                result = -AbiConstants.EPERM;
                break;
            }
            if (e.HasValue)
            {
                e.Waiters--;
                taken = TakeLocked(b, e);
                b.Lock.Release();
                return 0;
            }
            if (UserThread.CurrentInterrupted)
            {
                result = -AbiConstants.EINTR;
                break;
            }
            _scheduler.Sleep(e, b.Lock);
        }
        // Leaving without a value: the last waiter out takes the placeholder away.
        e.Waiters--;
        if (e.Waiters == 0)
        {
            if (!e.Dead)
                b.Remove(e);
            taken = new Taken(0, 0, e);
        }
        b.Lock.Release();
        return result;
    }

    /// <summary>Puts back a value a get could not deliver, unless the key has a value again (or the store is gone).</summary>
    private void Restore(uint key, Taken taken)
    {
        KkvEntry? fresh = NewEntry(key);
        bool kept = false;
        if (fresh != null)
        {
            _lifetime.LockRead();
            if (_initialized)
            {
                KkvBucket b = _buckets[BucketOf(key)];
                bool wake = false;
                b.Lock.Acquire();
                KkvEntry e = EntryLocked(b, key, ref fresh);
                if (!e.HasValue)
                {
                    wake = StoreLocked(e, taken.Value, taken.Size);
                    kept = true;
                }
                b.Lock.Release();
                if (wake)
                    _scheduler.Wakeup(e);
            }
            _lifetime.UnlockRead();
        }
        FreeEntryAndValue(fresh, kept ? 0 : taken.Value);
    }

    private KkvEntry? NewEntry(uint key)
    {
        ulong slot = _memory.AllocateEntry();
        return slot == 0 ? null : new KkvEntry(key, slot);
    }

    private void FreeEntryAndValue(KkvEntry? e, ulong value)
    {
        if (e != null)
            _memory.FreeEntry(e.Slot);
        if (value != 0)
            _memory.FreeValue(value);
    }
}
