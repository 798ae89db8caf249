using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Fs;

/// <summary>
/// xv6's bio: a fixed set of buffers holding copies of disk blocks. It does two jobs. It keeps
/// recently used blocks in memory so that they need not be read again, and it makes sure each
/// block has at most one copy in memory, used by one thread at a time (the buffer's sleep lock),
/// so that every change to a block is seen by the next user.
///
/// <see cref="_lock"/> protects the LRU list, every buffer's identity (device, block number)
/// and reference count, and the hit/miss counters. It is held only for list work, never across
/// disk I/O. Lock order: a buffer's sleep lock may be held when taking <see cref="_lock"/>
/// (Release does), never the other way round; callers may hold an inode's sleep lock.
///
/// The list is ordered by last release: the front is the most recently used buffer, the back
/// the least, so a miss reuses the unreferenced buffer nearest the back.
/// </summary>
public sealed class BufferCache
{
    /// <summary>Device numbers 0 .. MaxDevices-1 can be attached.</summary>
    public const int MaxDevices = 10;

    private readonly Spinlock _lock = new("bcache");
    private readonly LinkedList<Buffer> _lru = new();
    private readonly Dictionary<long, Buffer> _byBlock = new();
    private readonly BlockDevice?[] _disks = new BlockDevice?[MaxDevices];

    public BufferCache(Scheduler scheduler, int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        for (int i = 0; i < capacity; i++)
            _lru.AddLast(new Buffer(scheduler, i).Node);
    }

    public int Capacity { get; }

    /// <summary>Reads served from memory, and reads that went to the disk.</summary>
    public long Hits { get; private set; }
    public long Misses { get; private set; }

    public LockStats LockStats => _lock.Stats;

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
    /// must give it back with <see cref="Release"/>.
    /// </summary>
    public Buffer Read(int device, uint block)
    {
        BlockDevice disk = DiskOf(device);
        if (block >= disk.BlockCount)
            throw Panic.Now($"bread: block {block} is past the end of device {device} ({disk.BlockCount} blocks)");
        Buffer b = Get(device, block);
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

        _lock.Acquire();
        b.References--;
        if (b.References == 0)
        {
            // Nobody is waiting for it: it becomes the most recently used, last to be recycled.
            _lru.Remove(b.Node);
            _lru.AddFirst(b.Node);
        }
        _lock.Release();
    }

    /// <summary>Keeps a buffer's block in the cache after release (the log pins blocks it must write).</summary>
    public void Pin(Buffer b)
    {
        _lock.Acquire();
        b.References++;
        _lock.Release();
    }

    public void Unpin(Buffer b)
    {
        _lock.Acquire();
        if (b.References < 1)
            throw Panic.Now($"bunpin {b}: not pinned");
        b.References--;
        _lock.Release();
    }

    /// <summary>
    /// xv6's bget: finds the block's buffer, or recycles the least recently used free one, and
    /// returns it locked. The cache lock is dropped before sleeping on the buffer's lock; the
    /// reference taken under it keeps the buffer from being recycled meanwhile.
    /// </summary>
    private Buffer Get(int device, uint block)
    {
        _lock.Acquire();
        Buffer? b = Cached(device, block);
        if (b != null)
        {
            Hits++;
        }
        else
        {
            b = LeastRecentlyUsedFree();
            if (b == null)
            {
                _lock.Release();
                throw Panic.Now($"bget: all {Capacity} buffers are in use");
            }
            if (b.Device >= 0)
                _byBlock.Remove(Key(b.Device, b.BlockNumber));
            _byBlock[Key(device, block)] = b;
            b.Device = device;
            b.BlockNumber = block;
            b.Valid = false; // no one holds it (References was 0), so its lock is free to ignore
            Misses++;
        }
        b.References++;
        _lock.Release();

        b.Lock.Acquire();
        return b;
    }

    /// <summary>Caller holds _lock.</summary>
    private Buffer? Cached(int device, uint block) => _byBlock.GetValueOrDefault(Key(device, block));

    private static long Key(int device, uint block) => ((long)device << 32) | block;

    /// <summary>Caller holds _lock.</summary>
    private Buffer? LeastRecentlyUsedFree()
    {
        for (LinkedListNode<Buffer>? n = _lru.Last; n != null; n = n.Previous)
        {
            if (n.Value.References == 0)
                return n.Value;
        }
        return null;
    }

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
}
