using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>
/// The slab layer over the frame allocator: named object caches (<see cref="CreateCache"/>) and
/// kmalloc/kfree for any size up to one frame, from power-of-two caches kmalloc-8 ..
/// kmalloc-4096 (Linux's names). Every slab is one frame, and a map from frame to slab lets
/// <see cref="Kfree"/> find the cache of any object, as Linux's kfree does.
///
/// <see cref="_gate"/>, a host monitor (caches are made at boot, from threads that may hold no
/// CPU), protects the list of caches. Each entry of <see cref="_slabOf"/> is written by its
/// cache under that cache's lock and read without one: a frame is in the map from the moment its
/// slab is made until its last object is freed, and only an object's owner frees it.
/// </summary>
public sealed class SlabAllocator
{
    public const int SmallestKmalloc = 8;
    public const int LargestKmalloc = PhysicalMemory.PageSize;

    private readonly object _gate = new();
    private readonly List<SlabCache> _caches = new();
    private readonly SlabCache[] _kmalloc;
    private readonly Slab?[] _slabOf;

    private readonly int _cpus;

    /// <param name="cpus">The machine's CPUs: each cache keeps a magazine of free objects for each (<see cref="SlabMagazine"/>).</param>
    public SlabAllocator(FrameAllocator frames, int cpus = 1)
    {
        Frames = frames;
        _cpus = cpus;
        // Only a thread holding a CPU can take the magazines' locks; the host (at boot) has none to give.
        frames.Reservations.Reclaim = () => Sched.Cpu.Mine != null ? ShrinkAll() : 0;
        _slabOf = new Slab?[frames.TotalFrames];
        var sizes = new List<SlabCache>();
        for (int size = SmallestKmalloc; size <= LargestKmalloc; size *= 2)
            sizes.Add(CreateCache($"kmalloc-{size}", size, size));
        _kmalloc = sizes.ToArray();
    }

    public FrameAllocator Frames { get; }

    /// <summary>
    /// A new cache of <paramref name="objectSize"/>-byte objects aligned to
    /// <paramref name="alignment"/> (a power of two); both at most one frame.
    /// </summary>
    public SlabCache CreateCache(string name, int objectSize, int alignment = 8)
    {
        if (objectSize < 1 || objectSize > PhysicalMemory.PageSize)
            throw new ArgumentOutOfRangeException(nameof(objectSize), objectSize, "a slab object is 1 .. 4096 bytes");
        if (alignment < 1 || alignment > PhysicalMemory.PageSize || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "the alignment is a power of two up to 4096");
        lock (_gate)
        {
            if (_caches.Any(c => c.Name == name))
                throw new ArgumentException($"there is already a slab cache named {name}", nameof(name));
            var cache = new SlabCache(this, name, objectSize, alignment, _cpus);
            _caches.Add(cache);
            return cache;
        }
    }

    /// <summary>Destroys a cache; destroying one with live objects panics.</summary>
    public void DestroyCache(SlabCache cache)
    {
        if (_kmalloc.Contains(cache))
            throw new ArgumentException("the kmalloc caches are never destroyed", nameof(cache));
        cache.Destroy();
        lock (_gate)
            _caches.Remove(cache);
    }

    /// <summary>Every cache, in the order they were made.</summary>
    public IReadOnlyList<SlabCache> Caches()
    {
        lock (_gate)
            return _caches.ToArray();
    }

    /// <summary>
    /// Empties every cache's per-CPU magazines into its slabs (<see cref="SlabCache.Shrink"/>), so
    /// every frame without a live object is free again: before the free-frame count is read for
    /// a leak check, and (as the frame allocator's reclaim) when memory runs out. On a kernel
    /// thread holding a CPU. Returns the frames it gave back.
    /// </summary>
    public long ShrinkAll()
    {
        long frames = 0;
        foreach (SlabCache cache in Caches())
            frames += cache.Shrink();
        return frames;
    }

    /// <summary>kmalloc: <paramref name="size"/> bytes (1 .. 4096) from the smallest power-of-two cache they fit, or 0.</summary>
    public ulong Kmalloc(int size)
    {
        if (size < 1 || size > LargestKmalloc)
            return 0;
        int index = 0;
        while (_kmalloc[index].ObjectSize < size)
            index++;
        return _kmalloc[index].Allocate();
    }

    /// <summary>kfree: gives back an object of any cache; an address that is no live object panics.</summary>
    public void Kfree(ulong address)
    {
        Slab slab = SlabOf(address) ?? throw Panic.Now($"kfree: 0x{address:x} is not a slab object");
        slab.Cache.Free(address);
    }

    internal Slab? SlabOf(ulong address)
    {
        if (address < Frames.First || address >= Frames.End)
            return null;
        return Volatile.Read(ref _slabOf[(address - Frames.First) / PhysicalMemory.PageSize]);
    }

    internal void Map(Slab slab) => Volatile.Write(ref _slabOf[(slab.Frame - Frames.First) / PhysicalMemory.PageSize], slab);

    internal void Unmap(Slab slab) => Volatile.Write(ref _slabOf[(slab.Frame - Frames.First) / PhysicalMemory.PageSize], null);
}
