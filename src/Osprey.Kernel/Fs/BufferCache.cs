using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Fs;

/// <summary>
/// xv6's bio, with the lock split as in the MIT lock lab: a fixed set of buffers holding copies
/// of disk blocks. It keeps recently used blocks in memory so that they need not be read again,
/// and makes sure each block has at most one copy in memory, used by one thread at a time (the
/// buffer's sleep lock), so that every change to a block is seen by the next user.
///
/// Cached blocks are hashed into <see cref="Buckets"/> buckets (a prime), each with its own lock
/// (all named <c>bcache.bucket</c>, one class), so that threads reading different blocks on
/// different CPUs do not contend. A bucket's lock protects its table and the reference counts
/// and last-use stamps of the buffers in it. A hit takes only its bucket's lock.
///
/// A miss recycles the least recently used unreferenced buffer, whichever bucket it is in, under
/// <see cref="_evictLock"/> (<c>bcache</c>): one eviction at a time, so no two threads can both
/// decide to cache the same block (it is looked up again under the eviction lock) and no two
/// evictions can take bucket locks in opposite orders. Lock order: <c>bcache</c>, then the
/// block's bucket, then the victim's bucket (nesting level 1); a thread holding a bucket lock
/// without the eviction lock takes no other bucket lock. No cache lock is held across disk I/O
/// or while sleeping on a buffer; callers may hold inode and buffer sleep locks.
/// </summary>
public sealed class BufferCache
{
    /// <summary>Device numbers 0 .. MaxDevices-1 can be attached.</summary>
    public const int MaxDevices = 10;

    /// <summary>Hash buckets: a prime, so that block numbers with a common stride spread out.</summary>
    public const int Buckets = 13;

    private readonly Spinlock _evictLock = new("bcache");
    private readonly Bucket[] _buckets = Enumerable.Range(0, Buckets).Select(_ => new Bucket()).ToArray();
    private readonly Buffer[] _buffers;
    private readonly BlockDevice?[] _disks = new BlockDevice?[MaxDevices];
    private long _clock, _hits, _misses;

    public BufferCache(Scheduler scheduler, int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _buffers = Enumerable.Range(0, capacity).Select(i => new Buffer(scheduler, i)).ToArray();
    }

    public int Capacity { get; }

    /// <summary>Reads served from memory, and reads that went to the disk.</summary>
    public long Hits => Volatile.Read(ref _hits);
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>The eviction lock's figures, and each bucket lock's.</summary>
    public LockStats EvictionLockStats => _evictLock.Stats;

    public IReadOnlyList<LockStats> BucketLockStats => _buckets.Select(b => b.Lock.Stats).ToArray();

    /// <summary>
    /// Run between a miss and taking the eviction lock, with no cache lock held: tests widen the
    /// window in which another thread can miss the same block (a yield makes it certain).
    /// </summary>
    internal Action? AfterMiss { get; set; }

    /// <summary>
    /// Makes <paramref name="disk"/> device number <paramref name="device"/>. Done at boot,
    /// before any thread reads that device (the table is not locked).
    /// </summary>
    public void Attach(int device, BlockDevice disk)
    {
        if ((uint)device >= MaxDevices)
            throw new ArgumentOutOfRangeException(nameof(device), device, $"device numbers run 0..{MaxDevices - 1}");
        if (disk.BlockCount > uint.MaxValue)
            throw new ArgumentException("block numbers are 32 bits; the disk is larger", nameof(disk));
        Volatile.Write(ref _disks[device], disk);
    }

    /// <summary>
    /// xv6's bread: a locked buffer holding the contents of <paramref name="block"/>. The caller
    /// must give it back with <see cref="Release"/>. A caller that already holds another buffer
    /// says so with <paramref name="nesting"/> 1 (the order lockdep then checks).
    /// </summary>
    public Buffer Read(int device, uint block, int nesting = 0)
    {
        BlockDevice disk = DiskOf(device);
        if (block >= disk.BlockCount)
            throw Panic.Now($"bread: block {block} is past the end of device {device} ({disk.BlockCount} blocks)");
        Buffer b = Get(device, block);
        b.Lock.AcquireNested(nesting);
        if (!b.Valid)
        {
            disk.Read(block, b.Data);
            b.Valid = true;
        }
        return b;
    }

    /// <summary>
    /// xv6's bwrite: puts the buffer's bytes on the disk now. The caller holds the buffer. (Once
    /// the log exists, file-system code writes through the log instead, and only the log calls this.)
    /// </summary>
    public void Write(Buffer b)
    {
        RequireHeld(b, "bwrite");
        DiskOf(b.Device).Write(b.BlockNumber, b.Data);
    }

    /// <summary>xv6's brelse: unlocks the buffer and drops the caller's reference.</summary>
    public void Release(Buffer b)
    {
        RequireHeld(b, "brelse");
        b.Lock.Release();

        Bucket bucket = BucketOf(b.Device, b.BlockNumber);
        bucket.Lock.Acquire();
        b.References--;
        if (b.References == 0)
            b.LastUsed = Interlocked.Increment(ref _clock); // the most recently used: last to be recycled
        bucket.Lock.Release();
    }

    /// <summary>Keeps a buffer's block in the cache after release (the log pins blocks it must write).</summary>
    public void Pin(Buffer b)
    {
        Bucket bucket = BucketOf(b.Device, b.BlockNumber);
        bucket.Lock.Acquire();
        b.References++;
        bucket.Lock.Release();
    }

    public void Unpin(Buffer b)
    {
        Bucket bucket = BucketOf(b.Device, b.BlockNumber);
        bucket.Lock.Acquire();
        if (b.References < 1)
        {
            bucket.Lock.Release();
            throw Panic.Now($"bunpin {b}: not pinned");
        }
        b.References--;
        bucket.Lock.Release();
    }

    /// <summary>
    /// Checks the cache's invariants (for tests): every buffer holding a block is in that block's
    /// bucket and no other, and no block is in the cache twice. Call with no thread using the cache.
    /// </summary>
    public void CheckInvariants()
    {
        var seen = new HashSet<long>();
        for (int i = 0; i < Buckets; i++)
        {
            foreach ((long key, Buffer b) in _buckets[i].Blocks)
            {
                if (!seen.Add(key))
                    throw Panic.Now($"bcache: block {key:x} is cached twice");
                if (Key(b.Device, b.BlockNumber) != key || BucketOf(b.Device, b.BlockNumber) != _buckets[i])
                    throw Panic.Now($"bcache: {b} is filed under {key:x} in bucket {i}");
            }
        }
        int cached = _buffers.Count(b => b.Device >= 0);
        if (cached != seen.Count)
            throw Panic.Now($"bcache: {cached} buffers hold blocks but the buckets list {seen.Count}");
    }

    /// <summary>
    /// xv6's bget: finds the block's buffer, or recycles the least recently used free one, and
    /// returns it referenced (the caller then sleeps for its lock). No cache lock is held on
    /// return; the reference keeps the buffer from being recycled meanwhile.
    /// </summary>
    private Buffer Get(int device, uint block)
    {
        Bucket bucket = BucketOf(device, block);
        bucket.Lock.Acquire();
        if (bucket.Blocks.TryGetValue(Key(device, block), out Buffer? b))
        {
            b.References++;
            bucket.Lock.Release();
            Interlocked.Increment(ref _hits);
            return b;
        }
        bucket.Lock.Release();
        AfterMiss?.Invoke();

        _evictLock.Acquire();
        bucket.Lock.Acquire();
        // Another thread may have cached it between the two: look again, now that no one else can add it.
        if (bucket.Blocks.TryGetValue(Key(device, block), out b))
        {
            b.References++;
            Interlocked.Increment(ref _hits);
        }
        else
        {
            b = Recycle(bucket);
            if (b == null)
            {
                bucket.Lock.Release();
                _evictLock.Release();
                throw Panic.Now($"bget: all {Capacity} buffers are in use");
            }
            b.Device = device;
            b.BlockNumber = block;
            b.Valid = false; // no one holds it (References was 0), so its lock is free to ignore
            b.References = 1;
            if (!bucket.Blocks.TryAdd(Key(device, block), b))
            {
                bucket.Lock.Release();
                _evictLock.Release();
                throw Panic.Now($"bget: block {block} of device {device} is cached twice");
            }
            Interlocked.Increment(ref _misses);
        }
        bucket.Lock.Release();
        _evictLock.Release();
        return b;
    }

    /// <summary>
    /// Caller holds the eviction lock and <paramref name="target"/>'s lock. Takes the least
    /// recently used unreferenced buffer out of its bucket, or returns null when every buffer is
    /// in use. The scan reads counts and stamps without their locks; the choice is confirmed
    /// under the victim's bucket lock, and a buffer referenced meanwhile sends the scan round
    /// again. Identities cannot change during the scan: only evictions change them, and this is
    /// the only one.
    /// </summary>
    private Buffer? Recycle(Bucket target)
    {
        while (true)
        {
            Buffer? victim = null;
            foreach (Buffer candidate in _buffers)
            {
                if (candidate.References == 0 && (victim == null || candidate.LastUsed < victim.LastUsed))
                    victim = candidate;
            }
            if (victim == null)
                return null;
            if (victim.Device < 0)
                return victim; // never used: in no bucket, and nobody can take a reference to it
            Bucket home = BucketOf(victim.Device, victim.BlockNumber);
            if (home != target)
                home.Lock.AcquireNested(1);
            bool free = victim.References == 0;
            if (free && !(home.Blocks.Remove(Key(victim.Device, victim.BlockNumber), out Buffer? filed) && filed == victim))
                throw Panic.Now($"bget: evicting {victim}, but its bucket files another copy of the block");
            if (home != target)
                home.Lock.Release();
            if (free)
                return victim;
        }
    }

    private static long Key(int device, uint block) => ((long)device << 32) | block;

    private Bucket BucketOf(int device, uint block) => _buckets[(int)(((ulong)(uint)device * 0x9E3779B1UL + block) % Buckets)];

    private BlockDevice DiskOf(int device)
    {
        BlockDevice? disk = (uint)device < MaxDevices ? Volatile.Read(ref _disks[device]) : null;
        return disk ?? throw Panic.Now($"bio: no disk attached as device {device}");
    }

    private static void RequireHeld(Buffer b, string who)
    {
        if (!b.Lock.Holding())
            throw Panic.Now($"{who} {b}: buffer not locked by this thread");
    }

    /// <summary>One hash bucket: its blocks' buffers by key. Its lock protects the table and the reference counts and stamps of the buffers in it.</summary>
    private sealed class Bucket
    {
        public Spinlock Lock { get; } = new("bcache.bucket");

        public Dictionary<long, Buffer> Blocks { get; } = new();
    }
}
