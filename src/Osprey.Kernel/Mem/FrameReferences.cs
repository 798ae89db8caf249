using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>
/// Per-frame reference counts for the frames that user page-table entries map: how many
/// entries, in all page tables together, point at each frame. fork's copy-on-write shares a
/// frame by adding an entry (<see cref="Share"/>); unmapping drops one (<see cref="Release"/>),
/// and the last drop gives the frame back to the allocator. Frames the kernel uses for itself
/// (page tables, pipe buffers) and the zero frame are never counted: their count stays 0.
///
/// The counts are atomic (Interlocked), not locked, because every change is made by a thread
/// that already holds one of the references it counts: fork shares a frame its own table
/// maps, and unmapping drops the unmapper's own entry. So a count never climbs back from 0,
/// and "the count is 1" read by the only holder stays true until that holder changes it,
/// which is what lets a copy-on-write fault reuse the frame instead of copying it.
/// </summary>
public sealed class FrameReferences
{
    private readonly FrameAllocator _frames;
    private readonly int[] _counts;
    private long _referenced;
    private long _shared;

    public FrameReferences(PhysicalMemory memory, FrameAllocator frames)
    {
        _frames = frames;
        _counts = new int[memory.FrameCount];
    }

    /// <summary>Frames with at least one reference: user pages in memory.</summary>
    public long Referenced => Volatile.Read(ref _referenced);

    /// <summary>Frames with more than one reference: shared by copy-on-write or by read-only sharing.</summary>
    public long Shared => Volatile.Read(ref _shared);

    /// <summary>How many page-table entries map <paramref name="frame"/>.</summary>
    public int Count(ulong frame) => Volatile.Read(ref Slot(frame));

    /// <summary>Gives a frame just allocated for a user page its first reference.</summary>
    public void Hold(ulong frame)
    {
        if (Interlocked.CompareExchange(ref Slot(frame), 1, 0) != 0)
            throw Panic.Now($"frame 0x{frame:x}: a new user frame already has references");
        Interlocked.Increment(ref _referenced);
    }

    /// <summary>One more page-table entry maps the frame (fork sharing it).</summary>
    public void Share(ulong frame)
    {
        int n = Interlocked.Increment(ref Slot(frame));
        if (n < 2)
            throw Panic.Now($"frame 0x{frame:x}: shared without a reference");
        if (n == 2)
            Interlocked.Increment(ref _shared);
    }

    /// <summary>One page-table entry no longer maps the frame; the last one frees it.</summary>
    public void Release(ulong frame)
    {
        int n = Interlocked.Decrement(ref Slot(frame));
        if (n < 0)
            throw Panic.Now($"frame 0x{frame:x}: released more often than referenced");
        if (n == 1)
            Interlocked.Decrement(ref _shared);
        if (n == 0)
        {
            Interlocked.Decrement(ref _referenced);
            _frames.Free(frame);
        }
    }

    /// <summary>The allocator's check on every free: a frame some page table still maps must not be freed.</summary>
    internal void CheckUnreferenced(ulong frame)
    {
        int n = Count(frame);
        if (n != 0)
            throw Panic.Now($"kfree: frame 0x{frame:x} still has {n} reference{(n == 1 ? "" : "s")}");
    }

    private ref int Slot(ulong frame) => ref _counts[(frame - PhysicalMemory.Base) / PhysicalMemory.PageSize];
}
