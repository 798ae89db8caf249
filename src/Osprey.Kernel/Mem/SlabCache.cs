using Osprey.Kernel.Sync;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>
/// A named cache of equal-sized kernel objects in guest memory (Linux's kmem_cache): each slab
/// is one frame from the frame allocator cut into objects of <see cref="Stride"/> bytes (the
/// size rounded up to the alignment), so the frames a cache holds show in the free-frame count.
/// Allocation takes the lowest free object of a slab with room, or starts a new slab; a slab
/// whose last object is freed gives its frame back at once, so a cache with no live objects
/// holds no frames and the leak checks stay exact (Linux keeps a few empty slabs to save the
/// churn). Objects are filled with 5s when handed out and 1s when freed, as frames are.
///
/// <see cref="_lock"/> (class <c>slab</c>) protects the slab list and the counters; it is never
/// held while calling the frame allocator.
/// </summary>
public sealed class SlabCache
{
    private const byte FreedJunk = 0x01;
    private const byte AllocatedJunk = 0x05;

    private readonly SlabAllocator _owner;
    private readonly Spinlock _lock;
    private readonly List<Slab> _withRoom = new();
    private long _inUse, _slabs, _allocations, _frees;

    internal SlabCache(SlabAllocator owner, string name, int objectSize, int alignment)
    {
        _owner = owner;
        Name = name;
        ObjectSize = objectSize;
        Alignment = alignment;
        Stride = Math.Max(8, (objectSize + alignment - 1) / alignment * alignment);
        ObjectsPerSlab = PhysicalMemory.PageSize / Stride;
        _lock = new Spinlock($"slab.{name}", "slab");
    }

    public string Name { get; }

    /// <summary>The size asked for, the alignment, and the bytes each object takes in its slab.</summary>
    public int ObjectSize { get; }

    public int Alignment { get; }

    public int Stride { get; }

    public int ObjectsPerSlab { get; }

    /// <summary>Objects handed out now; slabs (each one frame) held now; allocations and frees so far.</summary>
    public long InUse => Volatile.Read(ref _inUse);

    public long Slabs => Volatile.Read(ref _slabs);

    public long Frames => Slabs;

    public long Allocations => Volatile.Read(ref _allocations);

    public long Frees => Volatile.Read(ref _frees);

    internal bool Destroyed { get; private set; }

    /// <summary>An object's guest physical address, or 0 when no frame could be had for a new slab.</summary>
    public ulong Allocate()
    {
        if (Destroyed)
            throw Panic.Now($"slab {Name}: allocation from a destroyed cache");
        _lock.Acquire();
        ulong address = TakeLocked();
        _lock.Release();
        if (address == 0)
        {
            ulong frame = _owner.Frames.Allocate();
            if (frame == 0)
                return 0;
            var slab = new Slab(this, frame);
            _owner.Map(slab);
            _lock.Acquire();
            _slabs++;
            slab.OnPartialList = true;
            _withRoom.Add(slab);
            address = TakeLocked();
            _lock.Release();
        }
        _owner.Frames.Memory.Fill(address, (ulong)Stride, AllocatedJunk);
        return address;
    }

    /// <summary>Gives back an object of this cache; anything else, or an object freed twice, panics.</summary>
    public void Free(ulong address)
    {
        Slab? slab = _owner.SlabOf(address);
        if (slab == null || slab.Cache != this)
            throw Panic.Now($"slab {Name}: 0x{address:x} is not an object of this cache");
        ulong offset = address - slab.Frame;
        if (offset % (ulong)Stride != 0 || offset / (ulong)Stride >= (ulong)ObjectsPerSlab)
            throw Panic.Now($"slab {Name}: 0x{address:x} is not the start of an object");
        _owner.Frames.Memory.Fill(address, (ulong)Stride, FreedJunk);
        bool empty;
        _lock.Acquire();
        if (!slab.Give((int)(offset / (ulong)Stride)))
        {
            _lock.Release();
            throw Panic.Now($"slab {Name}: object 0x{address:x} freed twice");
        }
        _inUse--;
        _frees++;
        empty = slab.InUse == 0;
        if (empty)
        {
            _withRoom.Remove(slab);
            _slabs--;
            _owner.Unmap(slab);
        }
        else if (!slab.OnPartialList)
        {
            slab.OnPartialList = true;
            _withRoom.Add(slab);
        }
        _lock.Release();
        if (empty)
            _owner.Frames.Free(slab.Frame);
    }

    /// <summary>Destroys the cache; it must have no live objects (and so holds no frames).</summary>
    internal void Destroy()
    {
        if (InUse != 0)
            throw Panic.Now($"slab {Name}: destroyed with {InUse} object{(InUse == 1 ? "" : "s")} still in use");
        Destroyed = true;
        _lock.Retire();
    }

    /// <summary>Caller holds _lock. An object from a slab with room, or 0 if none has any.</summary>
    private ulong TakeLocked()
    {
        if (_withRoom.Count == 0)
            return 0;
        Slab slab = _withRoom[^1];
        int index = slab.Take();
        if (slab.Full)
        {
            _withRoom.RemoveAt(_withRoom.Count - 1);
            slab.OnPartialList = false;
        }
        _inUse++;
        _allocations++;
        return slab.Frame + (ulong)(index * Stride);
    }

    public override string ToString() => $"slab cache {Name} ({ObjectSize} bytes)";
}
