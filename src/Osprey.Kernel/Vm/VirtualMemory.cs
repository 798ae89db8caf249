using Osprey.Kernel.Mem;
using Osprey.Kernel.Proc;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// What every address space shares: the frames behind user pages (reference-counted by
/// <see cref="FrameReferences"/>, promised through <see cref="FrameReservations"/>), the one
/// system-wide zero frame, the boot's choices (--no-cow, --lazy-sbrk) and the machine-wide
/// fault counters. Page tables and the fault path (PageFaults) get their user frames here.
///
/// The zero frame is the first frame of RAM, kept out of the allocator's range at boot (as
/// xv6 keeps the kernel's own frames out), so it is never allocated, freed or written: it is
/// mapped read-only, with <see cref="SoftwarePte.Zero"/>, wherever a page is promised and not
/// yet stored to. It has no reference count; <see cref="ZeroMappings"/> counts the entries
/// that map it, and each of them holds one reservation, so the two figures move together.
/// </summary>
public sealed class VirtualMemory
{
    private long _zeroMappings;

    public VirtualMemory(PhysicalMemory memory, FrameAllocator frames, bool copyOnWrite, bool lazySbrk)
    {
        Memory = memory;
        Frames = frames;
        CopyOnWrite = copyOnWrite;
        LazySbrk = lazySbrk;
        memory.Zero(ZeroFrame, PhysicalMemory.PageSize);
    }

    /// <summary>The frame of zeros: the first frame of RAM, which the allocator does not manage.</summary>
    public const ulong ZeroFrame = PhysicalMemory.Base;

    public PhysicalMemory Memory { get; }

    public FrameAllocator Frames { get; }

    public FrameReferences References => Frames.References;

    public FrameReservations Reservations => Frames.Reservations;

    /// <summary>fork shares writable pages copy-on-write (false: --no-cow, every page copied at fork, as xv6).</summary>
    public bool CopyOnWrite { get; }

    /// <summary>sbrk only moves the break and pages appear on first touch (--lazy-sbrk, the MIT lazy lab).</summary>
    public bool LazySbrk { get; }

    /// <summary>Page-table entries that map the zero frame.</summary>
    public long ZeroMappings => Volatile.Read(ref _zeroMappings);

    /// <summary>Faults of every process since boot.</summary>
    public FaultCounts Faults { get; } = new();

    /// <summary>The CPUs' TLBs, which page tables shoot stale entries down from (null: no CPU runs them, as in unit tests).</summary>
    public Tlb? Tlb { get; set; }

    /// <summary>How the fault path kills a process for want of memory: all of its threads end (ProcessTable.EndTask).</summary>
    public Action<Process> Kill { get; set; } = _ => { };

    /// <summary>Where the fault path reports a process it kills for want of memory (the console).</summary>
    public Action<string> Report { get; set; } = _ => { };

    /// <summary>Counts a fault for the machine and for its process.</summary>
    internal void Count(Process? p, FaultKind kind)
    {
        Faults.Add(kind);
        p?.VmFaults.Add(kind);
        Sched.Cpu.Mine?.Trace?.PageFault(kind);
    }

    /// <summary>A frame for a new user page with its first reference, zeroed if asked; 0 when memory is exhausted.</summary>
    internal ulong NewFrame(bool zeroed)
    {
        ulong frame = zeroed ? Frames.AllocateZeroed() : Frames.Allocate();
        if (frame != 0)
            References.Hold(frame);
        return frame;
    }

    /// <summary>The frame a promised page reserved, zeroed, with its first reference.</summary>
    internal ulong NewPromisedFrame()
    {
        ulong frame = Frames.AllocatePromised();
        References.Hold(frame);
        return frame;
    }

    /// <summary>Promises <paramref name="pages"/> zero-fill pages their frames; false when memory cannot back them.</summary>
    internal bool Promise(long pages) => Reservations.TryReserve(pages);

    /// <summary>An entry now maps the zero frame (its reservation was made by <see cref="Promise"/>).</summary>
    internal void ZeroMapped() => Interlocked.Increment(ref _zeroMappings);

    /// <summary>
    /// An entry no longer maps the zero frame: either its promise was kept (the page got its
    /// frame, <paramref name="kept"/>) or it is given back unused.
    /// </summary>
    internal void ZeroUnmapped(bool kept)
    {
        if (Interlocked.Decrement(ref _zeroMappings) < 0)
            throw Panic.Now("the zero frame unmapped more often than mapped");
        if (!kept)
            Reservations.Unreserve(1);
    }

    /// <summary>
    /// After every user process is gone: nothing may still be referenced, promised or mapped to
    /// the zero frame, or some path leaked. Panics if so (run's shutdown checks it).
    /// </summary>
    public void CheckNothingMapped()
    {
        if (References.Referenced != 0 || Reservations.Reserved != 0 || ZeroMappings != 0)
            throw Panic.Now($"vm leak with no user process left: {References.Referenced} frames referenced, {Reservations.Reserved} reserved, {ZeroMappings} zero-frame mappings");
    }
}
