using Osprey.Kernel.Sync;
using Osprey.Machine.Memory;


namespace Osprey.Kernel.Mem;

/// <summary>
/// xv6's kalloc: physical frames of guest RAM on one free list, threaded through the free
/// frames themselves (the first 8 bytes of a free frame hold the address of the next), under
/// one spinlock. Freed frames are filled with junk (1s) and allocated ones with other junk
/// (5s), so code that uses a frame after freeing it, or reads one before writing it, shows up.
///
/// Frames never yet allocated are not on the list but above <see cref="_frontier"/>: putting
/// all of RAM on the list at boot, as xv6's kinit does, would write to every frame and make
/// the host commit all of guest memory before the first program runs.
///
/// <see cref="_lock"/> protects the list head, the frontier and the free count.
/// </summary>
public sealed class FrameAllocator
{
    private const ulong EndOfList = 0;
    private const byte FreedJunk = 0x01;
    private const byte AllocatedJunk = 0x05;

    private readonly PhysicalMemory _memory;
    private readonly Spinlock _lock = new("kmem");
    private readonly ulong _first;
    private ulong _head = EndOfList;
    private ulong _frontier;
    private long _free;

    /// <summary>Manages the frames from <paramref name="first"/> to the end of RAM.</summary>
    public FrameAllocator(PhysicalMemory memory, ulong first)
    {
        _memory = memory;
        _first = first;
        _frontier = first;
        _free = TotalFrames;
        References = new FrameReferences(memory, this);
        Reservations = new FrameReservations(TotalFrames, Faults);
    }

    /// <summary>Reference counts of the frames user pages map (copy-on-write sharing).</summary>
    public FrameReferences References { get; }

    /// <summary>Frames promised to zero-fill pages; ordinary allocations leave them alone.</summary>
    public FrameReservations Reservations { get; }

    /// <summary>Fault injection: a thread's Nth allocation fails, for the rollback tests.</summary>
    public AllocationFaults Faults { get; } = new();

    public long FreeFrames => Volatile.Read(ref _free);

    public long TotalFrames => (long)((_memory.End - _first) / PhysicalMemory.PageSize);

    /// <summary>A frame, or 0 when memory is exhausted (the caller fails cleanly).</summary>
    public ulong Allocate()
    {
        if (Faults.ShouldFail() || !Reservations.TryTakeUnpromised())
            return EndOfList;
        ulong frame = Take();
        if (frame == EndOfList)
            Reservations.Returned();
        return frame;
    }

    /// <summary>A zeroed frame against a reservation made earlier: it cannot fail.</summary>
    public ulong AllocatePromised()
    {
        Reservations.TakePromised();
        ulong frame = Take();
        if (frame == EndOfList)
            throw Panic.Now("a reserved frame was not there to take");
        _memory.Zero(frame, PhysicalMemory.PageSize);
        return frame;
    }

    private ulong Take()
    {
        _lock.Acquire();
        ulong frame = _head;
        if (frame != EndOfList)
            _head = _memory.Read64(frame);
        else if (_frontier < _memory.End)
        {
            frame = _frontier;
            _frontier += PhysicalMemory.PageSize;
        }
        if (frame != EndOfList)
            _free--;
        _lock.Release();
        if (frame != EndOfList)
            _memory.Fill(frame, PhysicalMemory.PageSize, AllocatedJunk);
        return frame;
    }

    /// <summary>A frame filled with zeros, or 0 when memory is exhausted.</summary>
    public ulong AllocateZeroed()
    {
        ulong frame = Allocate();
        if (frame != EndOfList)
            _memory.Zero(frame, PhysicalMemory.PageSize);
        return frame;
    }

    public void Free(ulong frame)
    {
        if (frame % PhysicalMemory.PageSize != 0 || frame < _first || frame >= _frontier)
            throw Panic.Now($"kfree: bad frame 0x{frame:x}");
        References.CheckUnreferenced(frame);
        _memory.Fill(frame, PhysicalMemory.PageSize, FreedJunk);
        _lock.Acquire();
        _memory.Write64(frame, _head);
        _head = frame;
        _free++;
        _lock.Release();
        Reservations.Returned();
    }
}
