namespace Osprey.Kernel.Vm;

/// <summary>What made a region of an address space outside [0, size).</summary>
public enum RegionKind
{
    /// <summary>A Pebbles program's stack, which exec maps at the top of the address space.</summary>
    Stack,

    /// <summary>One new_pages call's pages; remove_pages takes exactly such a region away.</summary>
    NewPages,
}

/// <summary>A page-aligned range [Start, End) of an address space and what made it.</summary>
public readonly record struct Region(ulong Start, ulong End, RegionKind Kind)
{
    public ulong Pages => (End - Start) / PageTable.PageSize;
}

/// <summary>
/// The parts of an address space that lie outside the contiguous [image start, size) that
/// exec and sbrk manage: a Pebbles program's stack at the top of the address space and every
/// new_pages region, sorted by address and never overlapping each other or [0, size). The page
/// table frees them with everything else and fork copies them (<see cref="PageTable"/>).
///
/// This is Osprey's region bookkeeping for new_pages/remove_pages (a per-task list, where seed
/// kernels sometimes mark a region's first and last page in PTE software bits): remove_pages
/// must find a region by its start address, and new_pages must refuse a range any region
/// overlaps. Changes happen under the owning task's memory lock (its vm mutex), as sbrk's do;
/// so do reads, except the fault path's and system calls' checks of whether an address lies in
/// a region, which read the array reference once and search a list that is never changed in
/// place (copy on write of the list itself).
/// </summary>
public sealed class Regions
{
    private Region[] _sorted = [];

    public int Count => _sorted.Length;

    /// <summary>The regions in address order (a snapshot: the array is replaced, never changed).</summary>
    public ReadOnlySpan<Region> All => Volatile.Read(ref _sorted);

    /// <summary>Whether any region overlaps [start, end).</summary>
    public bool Overlaps(ulong start, ulong end)
    {
        foreach (Region r in All)
        {
            if (r.Start < end && start < r.End)
                return true;
        }
        return false;
    }

    /// <summary>Whether [start, start+length) lies wholly inside one region.</summary>
    public bool Contains(ulong start, ulong length)
    {
        ulong end = start + length;
        if (end < start)
            return false;
        foreach (Region r in All)
        {
            if (r.Start <= start && end <= r.End)
                return true;
        }
        return false;
    }

    /// <summary>The region that starts at <paramref name="start"/>, if one does.</summary>
    public Region? StartingAt(ulong start)
    {
        foreach (Region r in All)
        {
            if (r.Start == start)
                return r;
        }
        return null;
    }

    /// <summary>Adds a region; it must not overlap another (the caller checked, under the memory lock).</summary>
    public void Add(Region region)
    {
        if (Overlaps(region.Start, region.End))
            throw Panic.Now($"regions: [0x{region.Start:x}, 0x{region.End:x}) overlaps a region");
        Region[] old = _sorted;
        var next = new Region[old.Length + 1];
        int at = 0;
        while (at < old.Length && old[at].Start < region.Start)
            at++;
        Array.Copy(old, next, at);
        next[at] = region;
        Array.Copy(old, at, next, at + 1, old.Length - at);
        Volatile.Write(ref _sorted, next);
    }

    /// <summary>Removes the region that starts at <paramref name="start"/>; false if none does.</summary>
    public bool Remove(ulong start)
    {
        Region[] old = _sorted;
        int at = Array.FindIndex(old, r => r.Start == start);
        if (at < 0)
            return false;
        var next = new Region[old.Length - 1];
        Array.Copy(old, next, at);
        Array.Copy(old, at + 1, next, at, old.Length - at - 1);
        Volatile.Write(ref _sorted, next);
        return true;
    }

    /// <summary>Forgets every region (the table's pages are gone).</summary>
    public void Clear() => Volatile.Write(ref _sorted, []);
}
