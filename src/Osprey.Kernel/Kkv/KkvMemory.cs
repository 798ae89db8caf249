using Osprey.Kernel.Mem;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Kkv;

/// <summary>
/// Where the store's memory comes from: entries and values are in guest memory, so the
/// free-frame count sees them and a destroy must give every frame back. One function each, so
/// the allocator behind them is a one-line change.
/// </summary>
public sealed class KkvMemory(FrameAllocator frames, PhysicalMemory memory)
{
    public PhysicalMemory Memory { get; } = memory;

    /// <summary>An entry's object, or 0 when memory is exhausted.</summary>
    internal ulong AllocateEntry() => ulong.MaxValue; // until the slab caches land: the entry is a host object only

    internal void FreeEntry(ulong slot)
    {
        if (slot != ulong.MaxValue)
            throw Panic.Now($"kkv: 0x{slot:x} is not an entry");
    }

    /// <summary>A buffer of <paramref name="size"/> bytes (1 .. KKV_MAX_VALUE), or 0 when memory is exhausted.</summary>
    internal ulong AllocateValue(int size) => frames.Allocate();

    internal void FreeValue(ulong value) => frames.Free(value);
}
