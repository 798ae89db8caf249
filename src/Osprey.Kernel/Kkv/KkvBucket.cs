using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Kkv;

/// <summary>
/// One of the table's 17 buckets: a singly linked list of entries under a spinlock. With
/// <c>--kkv-global-lock</c> every bucket shares one lock, which is the point the switch
/// teaches: puts and gets on different keys then take turns on every CPU.
///
/// <see cref="Lock"/> protects the list, <see cref="Length"/> and every field of its
/// entries but the key. Nothing sleeps or allocates while holding it, and no user memory is
/// touched under it: a copy can fault, and the fault path allocates.
/// </summary>
internal sealed class KkvBucket(Spinlock lockForBucket)
{
    private KkvEntry? _first;

    // The buckets and their locks are made one after another, so without this gap (made last)
    // bucket i's list head and count would share a cache line with bucket i+1's lock, and two
    // CPUs working on neighbouring buckets would still pass that line back and forth.
    private readonly CacheLineGap _gap = CacheLineGap.Make();

    public Spinlock Lock { get; } = lockForBucket;

    /// <summary>Entries in the list (pairs and placeholders).</summary>
    public int Length { get; private set; }

    /// <summary>Caller holds Lock. The entry for <paramref name="key"/>, or null.</summary>
    public KkvEntry? Find(uint key)
    {
        for (KkvEntry? e = _first; e != null; e = e.Next)
        {
            if (e.Key == key)
                return e;
        }
        return null;
    }

    /// <summary>Caller holds Lock.</summary>
    public void Add(KkvEntry e)
    {
        e.Next = _first;
        _first = e;
        Length++;
    }

    /// <summary>Caller holds Lock.</summary>
    public void Remove(KkvEntry e)
    {
        if (_first == e)
        {
            _first = e.Next;
        }
        else
        {
            KkvEntry? before = _first;
            while (before != null && before.Next != e)
                before = before.Next;
            if (before == null)
                throw Panic.Now($"kkv: key {e.Key} is not in its bucket");
            before.Next = e.Next;
        }
        e.Next = null;
        Length--;
    }

    /// <summary>Caller holds Lock. Takes every entry out, returning the old list.</summary>
    public KkvEntry? TakeAll()
    {
        KkvEntry? all = _first;
        _first = null;
        Length = 0;
        return all;
    }

    /// <summary>Caller holds Lock. Pairs (entries with a value) and waiting getters in this bucket.</summary>
    public (int Pairs, int Waiters) Count()
    {
        int pairs = 0, waiters = 0;
        for (KkvEntry? e = _first; e != null; e = e.Next)
        {
            if (e.HasValue)
                pairs++;
            waiters += e.Waiters;
        }
        return (pairs, waiters);
    }
}
