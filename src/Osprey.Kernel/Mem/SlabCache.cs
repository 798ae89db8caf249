using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>
/// A named cache of equal-sized kernel objects in guest memory (Linux's kmem_cache): each slab
/// is one frame from the frame allocator cut into objects of <see cref="Stride"/> bytes (the
/// size rounded up to the alignment), so the frames a cache holds show in the free-frame count.
/// Objects are filled with 5s when handed out and 1s when freed, as frames are.
///
/// Two layers, as in Bonwick's slab allocator and Linux's SLAB:
/// - each CPU's <see cref="SlabMagazine"/>, a small stack of free objects under a lock only that
///   CPU takes. <see cref="Allocate"/> and <see cref="Free"/> use the calling CPU's magazine, so
///   CPUs allocating and freeing at once (kkv's puts and gets on two CPUs) share no lock and no
///   cache line. An empty magazine is refilled with <see cref="Batch"/> objects, a full one
///   flushes its <see cref="Batch"/> oldest, each time under the cache's lock once.
/// - the slabs, under <see cref="_lock"/> (class <c>slab</c>): a refill takes the lowest free
///   objects of a slab with room, or starts a new slab; a flush gives objects back, and a slab
///   whose last object comes back returns its frame at once (Linux keeps a few empty slabs).
///   Before the magazines the kkv benchmark took this lock (and, with the frame churn of a slab
///   emptied and refilled at every put+get, the frame allocator's) several times a pair on
///   every CPU, and lost seconds waiting on it whenever the host descheduled a holder.
///
/// Objects in magazines are free but still count against their slabs, so a cache with no live
/// objects may hold a few frames. <see cref="Shrink"/> (Linux's kmem_cache_shrink) empties every
/// CPU's magazine into the slabs; the slab allocator shrinks every cache before the free-frame
/// count is read for a leak check (the freepages call, a clean halt) and when a cache is
/// destroyed, so those counts stay exact, and the frame allocator has it shrink them all before
/// it fails an allocation or a reservation for want of frames (a program that counts free
/// memory by taking all of it, as xv6's usertests does with sbrk, gets every frame too).
///
/// Double frees panic: an object that is free in its slab, or already in this CPU's magazine,
/// is caught at the free; one sitting in another CPU's magazine is caught when the two meet in
/// the slab (a flush or a shrink), as the free of an object its slab already has.
///
/// Lock order: a magazine's lock and <see cref="_lock"/> are never held together, and neither
/// is held while calling the frame allocator.
/// </summary>
public sealed class SlabCache
{
    private const byte FreedJunk = 0x01;
    private const byte AllocatedJunk = 0x05;

    /// <summary>The most objects a magazine holds (fewer for big objects: <see cref="CapacityFor"/>).</summary>
    public const int MaxMagazine = 16;

    private readonly SlabAllocator _owner;
    private readonly Spinlock _lock;
    private readonly List<Slab> _withRoom = new();
    private readonly SlabMagazine[] _magazines;

    // Made right after the array, before the magazines: every CPU reads the array at every
    // allocation and free, and without the gap the first magazine (its count and figures,
    // written by its CPU each time) would start in the array's last cache line.
    private readonly CacheLineGap _magazinesGap;
    private long _slabs;

    internal SlabCache(SlabAllocator owner, string name, int objectSize, int alignment, int cpus)
    {
        _owner = owner;
        Name = name;
        ObjectSize = objectSize;
        Alignment = alignment;
        Stride = Math.Max(8, (objectSize + alignment - 1) / alignment * alignment);
        ObjectsPerSlab = PhysicalMemory.PageSize / Stride;
        _lock = new Spinlock($"slab.{name}", "slab");
        int capacity = CapacityFor(ObjectsPerSlab);
        Batch = Math.Max(1, capacity / 2);
        _magazines = new SlabMagazine[Math.Max(1, cpus)];
        _magazinesGap = CacheLineGap.Make();
        for (int i = 0; i < _magazines.Length; i++)
            _magazines[i] = new SlabMagazine(name, i, capacity);
    }

    public string Name { get; }

    /// <summary>The size asked for, the alignment, and the bytes each object takes in its slab.</summary>
    public int ObjectSize { get; }

    public int Alignment { get; }

    public int Stride { get; }

    public int ObjectsPerSlab { get; }

    /// <summary>The most free objects each CPU keeps (slabinfo's limit): two slabs' worth at most, so big objects keep few frames.</summary>
    public int MagazineCapacity => _magazines[0].Capacity;

    /// <summary>How many objects a refill or a flush moves (slabinfo's batchcount).</summary>
    public int Batch { get; }

    /// <summary>Objects handed out now (not counting the free ones in magazines).</summary>
    public long InUse => Allocations - Frees;

    /// <summary>Free objects waiting in the CPUs' magazines now.</summary>
    public long Cached => _magazines.Sum(m => (long)Volatile.Read(ref m.Count));

    /// <summary>Slabs (each one frame) held now; allocations and frees so far.</summary>
    public long Slabs => Volatile.Read(ref _slabs);

    public long Frames => Slabs;

    public long Allocations => _magazines.Sum(m => Volatile.Read(ref m.Allocations));

    public long Frees => _magazines.Sum(m => Volatile.Read(ref m.Frees));

    internal bool Destroyed { get; private set; }

    internal static int CapacityFor(int objectsPerSlab) => Math.Clamp(2 * objectsPerSlab, 2, MaxMagazine);

    /// <summary>An object's guest physical address, or 0 when no frame could be had for a new slab.</summary>
    public ulong Allocate()
    {
        if (Destroyed)
            throw Panic.Now($"slab {Name}: allocation from a destroyed cache");
        SlabMagazine m = Mine();
        m.Lock.Acquire();
        ulong address = m.Count > 0 ? m.Objects[--m.Count] : 0;
        if (address != 0)
            m.Allocations++;
        m.Lock.Release();
        if (address == 0 && (address = Refill()) == 0)
            return 0;
        _owner.Frames.Memory.Fill(address, (ulong)Stride, AllocatedJunk);
        return address;
    }

    /// <summary>Gives back an object of this cache; anything else, or an object freed twice, panics.</summary>
    public void Free(ulong address)
    {
        (Slab slab, int index) = Locate(address);
        if (!slab.IsHandedOut(index))
            throw Panic.Now($"slab {Name}: object 0x{address:x} freed twice");
        _owner.Frames.Memory.Fill(address, (ulong)Stride, FreedJunk);
        Span<ulong> flush = stackalloc ulong[Batch];
        int flushed = 0;
        SlabMagazine m = Mine();
        m.Lock.Acquire();
        if (m.Holds(address))
        {
            m.Lock.Release();
            throw Panic.Now($"slab {Name}: object 0x{address:x} freed twice");
        }
        if (m.Count == m.Capacity)
        {
            flushed = Batch;
            m.TakeOldest(flush);
        }
        m.Objects[m.Count++] = address;
        m.Frees++;
        m.Lock.Release();
        if (flushed > 0)
            GiveBack(flush[..flushed]);
    }

    /// <summary>
    /// Empties every CPU's magazine into the slabs, so that slabs with no live object give their
    /// frames back (Linux's kmem_cache_shrink). On a kernel thread holding a CPU. Returns the
    /// frames that went back.
    /// </summary>
    public long Shrink()
    {
        Span<ulong> objects = stackalloc ulong[MaxMagazine];
        long frames = 0;
        foreach (SlabMagazine m in _magazines)
        {
            m.Lock.Acquire();
            int n = m.Count;
            m.TakeOldest(objects[..n]);
            m.Lock.Release();
            if (n > 0)
                frames += GiveBack(objects[..n]);
        }
        return frames;
    }

    /// <summary>Destroys the cache; it must have no live objects. Its magazines are emptied first, so it holds no frames after.</summary>
    internal void Destroy()
    {
        if (InUse != 0)
            throw Panic.Now($"slab {Name}: destroyed with {InUse} object{(InUse == 1 ? "" : "s")} still in use");
        Shrink();
        if (Slabs != 0)
            throw Panic.Now($"slab {Name}: {Slabs} slab{(Slabs == 1 ? "" : "s")} left after every object came back");
        Destroyed = true;
        _lock.Retire();
        foreach (SlabMagazine m in _magazines)
            m.Lock.Retire();
    }

    /// <summary>The calling CPU's magazine. The thread may move to another CPU before it takes the lock: that costs locality, never correctness.</summary>
    private SlabMagazine Mine() => _magazines[Cpu.Mine?.IndexIn(_magazines.Length) ?? 0];

    /// <summary>
    /// An empty magazine: takes a batch from the slabs (starting a slab if none has room), one
    /// object for the caller and the rest for this CPU's magazine; 0 when no frame could be had
    /// (even after the frame allocator's reclaim had every cache give back its magazines).
    /// </summary>
    private ulong Refill()
    {
        Span<ulong> batch = stackalloc ulong[Batch];
        int n = TakeFromSlabs(batch);
        if (n == 0)
            return 0;
        // The caller gets the lowest object; the rest go in highest first, so the next
        // allocations come in address order, as the slab would hand them out.
        SlabMagazine m = Mine();
        m.Lock.Acquire();
        m.Allocations++;
        int stored = Math.Min(n - 1, m.Capacity - m.Count);
        for (int i = stored; i >= 1; i--)
            m.Objects[m.Count++] = batch[i];
        m.Lock.Release();
        // Another thread on this CPU may have filled the magazine in the meantime.
        if (stored + 1 < n)
            GiveBack(batch[(stored + 1)..n]);
        return batch[0];
    }

    /// <summary>Fills <paramref name="batch"/> with free objects of the slabs, starting a new slab if none has room; how many it took (0: no frame).</summary>
    private int TakeFromSlabs(Span<ulong> batch)
    {
        _lock.Acquire();
        int n = TakeLocked(batch);
        _lock.Release();
        if (n > 0)
            return n;
        ulong frame = _owner.Frames.Allocate();
        if (frame == 0)
            return 0;
        var slab = new Slab(this, frame);
        _owner.Map(slab);
        _lock.Acquire();
        _slabs++;
        slab.OnPartialList = true;
        _withRoom.Add(slab);
        n = TakeLocked(batch);
        _lock.Release();
        return n;
    }

    /// <summary>Caller holds _lock. Takes up to batch.Length objects from slabs with room (the newest slab first).</summary>
    private int TakeLocked(Span<ulong> batch)
    {
        int n = 0;
        while (n < batch.Length && _withRoom.Count > 0)
        {
            Slab slab = _withRoom[^1];
            batch[n++] = slab.Frame + (ulong)(slab.Take() * Stride);
            if (slab.Full)
            {
                _withRoom.RemoveAt(_withRoom.Count - 1);
                slab.OnPartialList = false;
            }
        }
        return n;
    }

    /// <summary>Gives free objects from a magazine back to their slabs; frames of slabs left empty go back to the frame allocator (how many: the result).</summary>
    private int GiveBack(ReadOnlySpan<ulong> objects)
    {
        Span<ulong> emptied = stackalloc ulong[objects.Length];
        int frames = 0;
        _lock.Acquire();
        foreach (ulong address in objects)
        {
            (Slab slab, int index) = Locate(address);
            if (!slab.Give(index))
            {
                _lock.Release();
                throw Panic.Now($"slab {Name}: object 0x{address:x} freed twice");
            }
            if (slab.InUse == 0)
            {
                _withRoom.Remove(slab);
                _slabs--;
                _owner.Unmap(slab);
                emptied[frames++] = slab.Frame;
            }
            else if (!slab.OnPartialList)
            {
                slab.OnPartialList = true;
                _withRoom.Add(slab);
            }
        }
        _lock.Release();
        foreach (ulong frame in emptied[..frames])
            _owner.Frames.Free(frame);
        return frames;
    }

    /// <summary>The slab and index of an object of this cache; anything else panics.</summary>
    private (Slab Slab, int Index) Locate(ulong address)
    {
        Slab? slab = _owner.SlabOf(address);
        if (slab == null || slab.Cache != this)
            throw Panic.Now($"slab {Name}: 0x{address:x} is not an object of this cache");
        ulong offset = address - slab.Frame;
        if (offset % (ulong)Stride != 0 || offset / (ulong)Stride >= (ulong)ObjectsPerSlab)
            throw Panic.Now($"slab {Name}: 0x{address:x} is not the start of an object");
        return (slab, (int)(offset / (ulong)Stride));
    }

    public override string ToString() => $"slab cache {Name} ({ObjectSize} bytes)";
}
