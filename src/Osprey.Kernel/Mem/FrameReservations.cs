namespace Osprey.Kernel.Mem;

/// <summary>
/// Frames promised versus frames free. Memory handed out by zero fill (sbrk's promised pages
/// now, Pebbles' new_pages later) reserves one frame per page when it is granted, so the fault
/// that finally needs the frame cannot fail: the grant fails at once instead, which is what
/// xv6's programs expect of sbrk.
///
/// <see cref="_available"/> counts the free frames nobody was promised. An ordinary allocation
/// takes one of those or fails; an allocation against a reservation takes a promised one and
/// cannot fail; a free gives one back. So at every quiet moment available + reserved = free,
/// whatever allocator policy hands out the frames themselves. Both counters are atomic: a
/// reservation and the allocations against it are not under one lock.
/// </summary>
public sealed class FrameReservations
{
    private readonly AllocationFaults _faults;
    private long _available;
    private long _reserved;

    public FrameReservations(long frames, AllocationFaults faults)
    {
        _available = frames;
        _faults = faults;
    }

    /// <summary>
    /// Gives back frames that a layer above keeps for speed and could do without (the slab
    /// caches' per-CPU magazines of free objects), as Linux's shrinkers do when memory runs
    /// short; returns the frames it freed. Asked once before a reservation or an allocation
    /// fails for want of frames (never for an injected failure). Takes only the slab layer's
    /// own locks, never while the caller could hold them (it calls the frame allocator with none).
    /// </summary>
    public Func<long>? Reclaim { get; set; }

    /// <summary>Frames promised and not yet taken.</summary>
    public long Reserved => Volatile.Read(ref _reserved);

    /// <summary>Free frames nobody was promised.</summary>
    public long Available => Volatile.Read(ref _available);

    /// <summary>Promises <paramref name="frames"/> frames; false (nothing promised) when fewer are available.</summary>
    public bool TryReserve(long frames)
    {
        if (frames < 0)
            throw Panic.Now($"reserve of {frames} frames");
        if (frames == 0)
            return true;
        if (_faults.ShouldFail() || !TryTakeOrReclaim(frames))
            return false;
        Interlocked.Add(ref _reserved, frames);
        return true;
    }

    /// <summary>Gives back promises that will not be taken (the pages were unmapped untouched).</summary>
    public void Unreserve(long frames)
    {
        if (Interlocked.Add(ref _reserved, -frames) < 0)
            throw Panic.Now($"unreserve of {frames} frames: more than were reserved");
        Interlocked.Add(ref _available, frames);
    }

    /// <summary>An ordinary allocation is about to take a frame: false when every free frame is promised.</summary>
    internal bool TryTakeUnpromised() => TryTakeOrReclaim(1);

    private bool TryTakeOrReclaim(long frames) => TryTake(frames) || (Reclaim?.Invoke() > 0 && TryTake(frames));

    /// <summary>An allocation against a reservation is about to take its promised frame.</summary>
    internal void TakePromised()
    {
        if (Interlocked.Decrement(ref _reserved) < 0)
            throw Panic.Now("an allocation against a reservation that was never made");
    }

    /// <summary>A frame went back to the allocator (or an allocation that took one found none).</summary>
    internal void Returned() => Interlocked.Increment(ref _available);

    private bool TryTake(long frames)
    {
        long seen = Volatile.Read(ref _available);
        while (seen >= frames)
        {
            long was = Interlocked.CompareExchange(ref _available, seen - frames, seen);
            if (was == seen)
                return true;
            seen = was;
        }
        return false;
    }
}
