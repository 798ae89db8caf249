using System.Numerics;

namespace Osprey.Kernel.Mem;

/// <summary>
/// One frame of a slab cache, cut into equal objects, with a bit per object (set while it is
/// handed out, or in a CPU's magazine). The cache's lock protects every field.
/// </summary>
internal sealed class Slab
{
    private readonly ulong[] _used;

    public Slab(SlabCache cache, ulong frame)
    {
        Cache = cache;
        Frame = frame;
        _used = new ulong[(cache.ObjectsPerSlab + 63) / 64];
        if (cache.ObjectsPerSlab % 64 != 0)
            _used[^1] = ~0UL << (cache.ObjectsPerSlab % 64);
    }

    public SlabCache Cache { get; }

    public ulong Frame { get; }

    public int InUse { get; private set; }

    public bool Full => InUse == Cache.ObjectsPerSlab;

    /// <summary>Whether the slab is on its cache's list of slabs with room.</summary>
    public bool OnPartialList { get; set; }

    /// <summary>Takes the lowest free object; the slab is not full.</summary>
    public int Take()
    {
        for (int w = 0; w < _used.Length; w++)
        {
            if (_used[w] != ~0UL)
            {
                int bit = BitOperations.TrailingZeroCount(~_used[w]);
                _used[w] |= 1UL << bit;
                InUse++;
                return w * 64 + bit;
            }
        }
        throw Panic.Now($"slab {Cache.Name}: a full slab was on the list of slabs with room");
    }

    /// <summary>
    /// Whether the object is out of the slab (with a caller, or in a CPU's magazine). Read
    /// without the cache's lock by the object's owner freeing it: only a give-back of this very
    /// object clears its bit, so a clear bit means the object was freed already.
    /// </summary>
    public bool IsHandedOut(int index) => (Volatile.Read(ref _used[index / 64]) & (1UL << (index % 64))) != 0;

    /// <summary>Gives an object back; false if it was not handed out.</summary>
    public bool Give(int index)
    {
        ulong bit = 1UL << (index % 64);
        if ((_used[index / 64] & bit) == 0)
            return false;
        _used[index / 64] &= ~bit;
        InUse--;
        return true;
    }
}
