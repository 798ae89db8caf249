using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Mem;

/// <summary>
/// One CPU's stack of free objects of one slab cache (a "magazine", as Bonwick's Solaris
/// allocator calls it; Linux's SLAB calls it the per-CPU array_cache). Allocation pops the
/// object freed last (the one most likely still in this host core's cache), free pushes;
/// only an empty magazine (refill) or a full one (flush) goes to the cache's shared slabs, a
/// batch at a time, so the cache's lock is taken once per batch instead of once per object.
///
/// <see cref="Lock"/> (class <c>slab.cpu</c>) protects <see cref="Objects"/>,
/// <see cref="Count"/> and the counters. Only its own CPU takes it, except a drain
/// (<see cref="SlabCache.Shrink"/>), so it is uncontended and its cache line stays on its CPU;
/// a lock rather than interrupts-off is what lets any CPU drain it. It is never held while
/// taking the cache's own lock or calling the frame allocator. The counters are read without it
/// (a snapshot), as the cache's totals.
/// </summary>
internal sealed class SlabMagazine
{
    // Made last: the next CPU's magazine starts at least a cache line away from this one's
    // fields, lock and objects.
    private readonly CacheLineGap _gap;

    public SlabMagazine(string cacheName, int cpu, int capacity)
    {
        Lock = new Spinlock($"slab.{cacheName}.cpu{cpu}", "slab.cpu");
        Objects = new ulong[capacity];
        _gap = CacheLineGap.Make();
    }

    public Spinlock Lock { get; }

    /// <summary>Free objects' addresses, Objects[0 .. Count-1], the newest last.</summary>
    public ulong[] Objects { get; }

    public int Count;

    /// <summary>Objects handed out and given back through this CPU (whether or not the magazine had them).</summary>
    public long Allocations, Frees;

    public int Capacity => Objects.Length;

    /// <summary>Caller holds Lock. Whether <paramref name="address"/> is already in the magazine (a double free).</summary>
    public bool Holds(ulong address)
    {
        for (int i = 0; i < Count; i++)
        {
            if (Objects[i] == address)
                return true;
        }
        return false;
    }

    /// <summary>Caller holds Lock. Moves the <paramref name="into"/>.Length oldest objects out (into), the rest down.</summary>
    public void TakeOldest(Span<ulong> into)
    {
        int n = into.Length;
        Objects.AsSpan(0, n).CopyTo(into);
        Objects.AsSpan(n, Count - n).CopyTo(Objects);
        Count -= n;
    }
}
