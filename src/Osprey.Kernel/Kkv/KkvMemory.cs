using Osprey.Kernel.Mem;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Kkv;

/// <summary>
/// Where the store's memory comes from, as W4118's store has it: every entry is an object of
/// the slab cache <c>kkv_entry</c>, every value a kmalloc object (hence values of at most
/// KKV_MAX_VALUE, one page). Both are in guest memory, so the free-frame count and the slab
/// counters (--allocstats) see them, and a destroy gives every frame back. The entry's fields
/// are kept in its host object (<see cref="KkvEntry"/>); its slab object is what it costs.
/// </summary>
public sealed class KkvMemory
{
    /// <summary>An entry's size as a C struct would have it: key, size, waiters, flags, value and next pointers.</summary>
    public const int EntryBytes = 32;

    private readonly SlabAllocator _slabs;
    private readonly SlabCache _entries;

    public KkvMemory(SlabAllocator slabs, PhysicalMemory memory)
    {
        _slabs = slabs;
        Memory = memory;
        _entries = slabs.CreateCache("kkv_entry", EntryBytes);
    }

    public PhysicalMemory Memory { get; }

    /// <summary>An entry's object, or 0 when memory is exhausted.</summary>
    internal ulong AllocateEntry() => _entries.Allocate();

    internal void FreeEntry(ulong slot) => _entries.Free(slot);

    /// <summary>A buffer of <paramref name="size"/> bytes (1 .. KKV_MAX_VALUE), or 0 when memory is exhausted.</summary>
    internal ulong AllocateValue(int size) => _slabs.Kmalloc(size);

    internal void FreeValue(ulong value) => _slabs.Kfree(value);

    /// <summary>After a destroy: the free entries and values the CPUs' slab magazines keep go back to their slabs, and so every frame the store used.</summary>
    internal void GiveBackFrames() => _slabs.ShrinkAll();
}
