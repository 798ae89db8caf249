using System.Runtime.CompilerServices;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>
/// The kernel's one front door for physical frames (xv6's kalloc and kfree). Which frame comes
/// back is the policy's business (<see cref="IFramePolicy"/>: <c>--allocator</c> chooses
/// freelist, percpu, segtree or bitmap); what every policy needs is done here, the same way for
/// all of them:
/// - junk: freed frames are filled with 1s and allocated ones with 5s, so code that uses a frame
///   after freeing it, or reads one before writing it, shows up;
/// - checks: a bit per frame says whether it is handed out, so freeing a frame twice, or one
///   outside RAM, panics with the frame, the allocator's name and the caller's, and so does a
///   policy that hands out a frame already in use;
/// - the exact count of free frames, which the leak checks compare before and after a run;
/// - the virtual-memory bookkeeping beside it: per-frame reference counts (a frame some page
///   table maps must not be freed), reservations (frames promised to zero-fill pages, which
///   ordinary allocations leave alone) and allocation fault injection (FrameReferences.cs,
///   FrameReservations.cs, AllocationFaults.cs).
///
/// The in-use bits and the counters are updated with host atomics; the policy has its own lock.
/// </summary>
public sealed class FrameAllocator
{
    /// <summary>The policies <c>--allocator</c> offers; the first is the default.</summary>
    public static readonly IReadOnlyList<string> PolicyNames = ["freelist", "percpu", "segtree", "bitmap"];

    private const byte FreedJunk = 0x01;
    private const byte AllocatedJunk = 0x05;

    private readonly PhysicalMemory _memory;
    private readonly FramePolicyRange _range;
    private readonly ulong[] _inUse;
    private long _free, _allocations, _frees, _failures;

    /// <summary>Manages the frames from <paramref name="first"/> to the end of RAM with the named policy.</summary>
    public FrameAllocator(PhysicalMemory memory, ulong first, string policy = "freelist", int cpus = 1)
        : this(memory, first, range => CreatePolicy(policy, range, cpus))
    {
    }

    public FrameAllocator(PhysicalMemory memory, ulong first, Func<FramePolicyRange, IFramePolicy> policy)
    {
        _memory = memory;
        _range = new FramePolicyRange(memory, first, memory.End);
        _inUse = new ulong[(_range.Frames + 63) / 64];
        _free = _range.Frames;
        Policy = policy(_range);
        References = new FrameReferences(memory, this);
        Reservations = new FrameReservations(TotalFrames, Faults);
    }

    /// <summary>A policy by its <c>--allocator</c> name, over <paramref name="range"/>, for a machine of <paramref name="cpus"/> CPUs.</summary>
    public static IFramePolicy CreatePolicy(string name, FramePolicyRange range, int cpus) => name switch
    {
        "freelist" => new FreeListPolicy(range),
        "percpu" => new PerCpuPolicy(range, cpus),
        "segtree" => new SegmentTreePolicy(range),
        "bitmap" => new BitmapPolicy(range),
        _ => throw new ArgumentException($"no allocator named {name} (there are {string.Join(", ", PolicyNames)})", nameof(name)),
    };

    public IFramePolicy Policy { get; }

    /// <summary>Reference counts of the frames user pages map (copy-on-write sharing).</summary>
    public FrameReferences References { get; }

    /// <summary>Frames promised to zero-fill pages; ordinary allocations leave them alone.</summary>
    public FrameReservations Reservations { get; }

    /// <summary>Fault injection: a thread's Nth allocation fails, for the rollback tests.</summary>
    public AllocationFaults Faults { get; } = new();

    /// <summary>The RAM the frames are in.</summary>
    public PhysicalMemory Memory => _memory;

    /// <summary>The frames managed: the first, and one past the last.</summary>
    public ulong First => _range.First;

    public ulong End => _range.End;

    public long FreeFrames => Volatile.Read(ref _free);

    public long TotalFrames => _range.Frames;

    /// <summary>Frames handed out, frames taken back, and allocations that found memory exhausted.</summary>
    public long Allocations => Volatile.Read(ref _allocations);

    public long Frees => Volatile.Read(ref _frees);

    public long Failures => Volatile.Read(ref _failures);

    /// <summary>
    /// A frame, or 0 when memory is exhausted (the caller fails cleanly): when the policy has
    /// none, when every free frame is promised, or when fault injection says so.
    /// </summary>
    public ulong Allocate([CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        if (Faults.ShouldFail() || !Reservations.TryTakeUnpromised())
        {
            Interlocked.Increment(ref _failures);
            return 0;
        }
        ulong frame = Take(caller, file);
        if (frame == 0)
            Reservations.Returned();
        return frame;
    }

    /// <summary>A zeroed frame against a reservation made earlier: it cannot fail.</summary>
    public ulong AllocatePromised([CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        Reservations.TakePromised();
        ulong frame = Take(caller, file);
        if (frame == 0)
            throw Panic.Now($"a reserved frame was not there to take (allocator {Policy.Name}, caller {Who(caller, file)})");
        _memory.Zero(frame, PhysicalMemory.PageSize);
        return frame;
    }

    /// <summary>A frame from the policy, claimed and filled with junk; 0 (counted) when it has none.</summary>
    private ulong Take(string caller, string file)
    {
        ulong frame = Policy.Allocate();
        if (frame == 0)
        {
            Interlocked.Increment(ref _failures);
            return 0;
        }
        Claim(frame, caller, file);
        _memory.Fill(frame, PhysicalMemory.PageSize, AllocatedJunk);
        return frame;
    }

    /// <summary>A frame filled with zeros, or 0 when memory is exhausted.</summary>
    public ulong AllocateZeroed([CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        ulong frame = Allocate(caller, file);
        if (frame != 0)
            _memory.Zero(frame, PhysicalMemory.PageSize);
        return frame;
    }

    /// <summary>
    /// The first of <paramref name="count"/> physically contiguous frames, or 0 when there is no
    /// such run (or the policy cannot find runs: only segtree and bitmap can). Each frame is
    /// freed on its own.
    /// </summary>
    public ulong AllocateContiguous(int count, [CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int taken = 0;
        while (taken < count && Reservations.TryTakeUnpromised())
            taken++;
        ulong first = taken == count && !Faults.ShouldFail() ? Policy.AllocateContiguous(count) : 0;
        if (first == 0)
        {
            for (int i = 0; i < taken; i++)
                Reservations.Returned();
            Interlocked.Increment(ref _failures);
            return 0;
        }
        for (int i = 0; i < count; i++)
        {
            ulong frame = first + (ulong)i * PhysicalMemory.PageSize;
            Claim(frame, caller, file);
            _memory.Fill(frame, PhysicalMemory.PageSize, AllocatedJunk);
        }
        return first;
    }

    public void Free(ulong frame, [CallerMemberName] string caller = "", [CallerFilePath] string file = "")
    {
        if (frame % PhysicalMemory.PageSize != 0 || frame < _range.First || frame >= _range.End)
            throw Panic.Now($"kfree: 0x{frame:x} is not a frame of RAM [0x{_range.First:x}, 0x{_range.End:x}) (allocator {Policy.Name}, caller {Who(caller, file)})");
        References.CheckUnreferenced(frame);
        long index = _range.IndexOf(frame);
        ulong bit = 1UL << (int)(index % 64);
        if ((Interlocked.And(ref _inUse[index / 64], ~bit) & bit) == 0)
            throw Panic.Now($"kfree: frame 0x{frame:x} (#{index}) is not in use: freed twice? (allocator {Policy.Name}, caller {Who(caller, file)})");
        _memory.Fill(frame, PhysicalMemory.PageSize, FreedJunk);
        Policy.Free(frame);
        Interlocked.Increment(ref _frees);
        Interlocked.Increment(ref _free);
        Reservations.Returned();
    }

    /// <summary>Whether <paramref name="frame"/> is handed out now (for tests and checks).</summary>
    public bool InUse(ulong frame)
    {
        if (frame < _range.First || frame >= _range.End)
            return false;
        long index = _range.IndexOf(frame);
        return (Volatile.Read(ref _inUse[index / 64]) & (1UL << (int)(index % 64))) != 0;
    }

    /// <summary>Marks a frame the policy handed out as in use; a frame already in use is the policy's bug.</summary>
    private void Claim(ulong frame, string caller, string file)
    {
        if (frame % PhysicalMemory.PageSize != 0 || frame < _range.First || frame >= _range.End)
            throw Panic.Now($"kalloc: the {Policy.Name} allocator handed out 0x{frame:x}, which is not a frame of RAM (caller {Who(caller, file)})");
        long index = _range.IndexOf(frame);
        ulong bit = 1UL << (int)(index % 64);
        if ((Interlocked.Or(ref _inUse[index / 64], bit) & bit) != 0)
            throw Panic.Now($"kalloc: the {Policy.Name} allocator handed out frame 0x{frame:x} (#{index}), which is in use (caller {Who(caller, file)})");
        Interlocked.Increment(ref _allocations);
        Interlocked.Decrement(ref _free);
    }

    /// <summary>"PageTable.Shrink": the calling method and the file it is in.</summary>
    private static string Who(string caller, string file) =>
        file.Length == 0 ? caller : $"{Path.GetFileNameWithoutExtension(file)}.{caller}";
}
