namespace Osprey.Kernel.Mem;

/// <summary>
/// One way of keeping track of free frames: the part of the frame allocator a student swaps
/// (<c>--allocator NAME</c>). A policy hands out and takes back frame addresses and nothing
/// else: the front door (<see cref="FrameAllocator"/>) does what every policy needs the same way
/// (junk fill, the range and double-free checks, the exact free count), so a policy is only its
/// data structure, its lock and its invariant.
///
/// The frames are <see cref="FramePolicyRange"/>'s; a policy must not write to a frame it has
/// never handed out, so that booting commits no host memory for frames nobody used.
/// </summary>
public interface IFramePolicy
{
    /// <summary>The name <c>--allocator</c> takes.</summary>
    string Name { get; }

    /// <summary>A free frame's address, or 0 when there is none.</summary>
    ulong Allocate();

    /// <summary>Takes back a frame that was handed out (the front door has checked that it was).</summary>
    void Free(ulong frame);

    /// <summary>
    /// The first of <paramref name="count"/> physically contiguous free frames, all now handed
    /// out, or 0 when there is no such run or the policy cannot find one.
    /// </summary>
    ulong AllocateContiguous(int count);

    /// <summary>Free frames as the policy counts them (the front door's count must agree).</summary>
    long FreeFrames { get; }

    /// <summary>The policy's own counters for <c>--allocstats</c> (steals, scan steps, ...).</summary>
    IEnumerable<(string Name, long Value)> Counters();
}
