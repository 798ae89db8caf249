using Osprey.Machine.Memory;

namespace Osprey.Kernel.Mem;

/// <summary>The frames a policy manages: from <see cref="First"/> up to <see cref="End"/>, in guest RAM.</summary>
public readonly record struct FramePolicyRange(PhysicalMemory Memory, ulong First, ulong End)
{
    public const ulong FrameSize = PhysicalMemory.PageSize;

    public long Frames => (long)((End - First) / FrameSize);

    /// <summary>The frame's index from <see cref="First"/>.</summary>
    public long IndexOf(ulong frame) => (long)((frame - First) / FrameSize);

    public ulong FrameAt(long index) => First + (ulong)index * FrameSize;
}
