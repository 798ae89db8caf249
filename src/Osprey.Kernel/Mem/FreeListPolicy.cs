using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Mem;

/// <summary>
/// <c>freelist</c>, xv6's kalloc and the default: the free frames on one list, threaded through
/// the frames themselves (the first 8 bytes of a free frame hold the next one's address), under
/// one spinlock, <c>kmem</c>. Allocation and free are O(1); every CPU takes the same lock for
/// every frame, which is what the kalloc lab measures.
///
/// Frames never yet handed out are not on the list but at or above <see cref="_frontier"/>:
/// putting all of RAM on the list at boot, as xv6's kinit does, would write to every frame and
/// make the host commit all of guest memory before the first program runs.
///
/// <see cref="_lock"/> protects the list head, the frontier and the count.
/// </summary>
public sealed class FreeListPolicy : IFramePolicy
{
    private const ulong EndOfList = 0;

    private readonly FramePolicyRange _range;
    private readonly Spinlock _lock = new("kmem");
    private ulong _head = EndOfList;
    private ulong _frontier;
    private long _free;

    public FreeListPolicy(FramePolicyRange range)
    {
        _range = range;
        _frontier = range.First;
        _free = range.Frames;
    }

    public string Name => "freelist";

    public long FreeFrames => Volatile.Read(ref _free);

    public ulong Allocate()
    {
        _lock.Acquire();
        ulong frame = _head;
        if (frame != EndOfList)
            _head = _range.Memory.Read64(frame);
        else if (_frontier < _range.End)
        {
            frame = _frontier;
            _frontier += FramePolicyRange.FrameSize;
        }
        if (frame != EndOfList)
            _free--;
        _lock.Release();
        return frame;
    }

    public void Free(ulong frame)
    {
        _lock.Acquire();
        _range.Memory.Write64(frame, _head);
        _head = frame;
        _free++;
        _lock.Release();
    }

    /// <summary>A list has no notion of neighbours: contiguous runs need the segment tree or the bitmap.</summary>
    public ulong AllocateContiguous(int count) => count == 1 ? Allocate() : 0;

    public IEnumerable<(string Name, long Value)> Counters() => [];
}
