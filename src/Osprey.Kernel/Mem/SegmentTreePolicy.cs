using System.Numerics;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Mem;

/// <summary>
/// <c>segtree</c>, the CMU 15-410 design: a segment tree over every frame. Each node covers a
/// power-of-two stretch of frames and knows, for its stretch, the longest run of free frames and
/// the free runs that touch its left and right ends. So the tree answers in O(log n) both "the
/// first free frame" (go left whenever the left half has any) and "the first run of n free
/// frames" (go left if the left half holds such a run, else take the run that straddles the
/// middle, else go right), and an allocation or free updates one path to the root.
///
/// The tree lives in host memory, so a frame is touched only once it is handed out. Frames past
/// the end of RAM (up to the power of two) are leaves that are never free.
///
/// <see cref="_lock"/> (<c>kmem</c>) protects the tree and the counters.
/// </summary>
public sealed class SegmentTreePolicy : IFramePolicy
{
    private readonly FramePolicyRange _range;
    private readonly Spinlock _lock = new("kmem");
    private readonly int _leaves;          // a power of two, at least the frame count
    private readonly int[] _longest;       // per node: the longest free run in its stretch
    private readonly int[] _fromLeft;      // the free run starting at its left end
    private readonly int[] _fromRight;     // the free run ending at its right end
    private long _free, _contiguous;

    public SegmentTreePolicy(FramePolicyRange range)
    {
        _range = range;
        long frames = range.Frames;
        if (frames < 1 || frames > 1 << 30)
            throw new ArgumentOutOfRangeException(nameof(range), frames, "the segment tree covers 1 .. 2^30 frames");
        _leaves = (int)BitOperations.RoundUpToPowerOf2((uint)frames);
        _longest = new int[2 * _leaves];
        _fromLeft = new int[2 * _leaves];
        _fromRight = new int[2 * _leaves];
        for (int i = 0; i < frames; i++)
            _longest[_leaves + i] = _fromLeft[_leaves + i] = _fromRight[_leaves + i] = 1;
        for (int node = _leaves - 1; node >= 1; node--)
            Combine(node, Width(node));
        _free = frames;
    }

    public string Name => "segtree";

    public long FreeFrames => Volatile.Read(ref _free);

    /// <summary>Successful contiguous allocations of more than one frame.</summary>
    public long ContiguousAllocations => Volatile.Read(ref _contiguous);

    public ulong Allocate()
    {
        _lock.Acquire();
        ulong frame = 0;
        if (_longest[1] > 0)
        {
            int node = 1;
            while (node < _leaves)
                node = _longest[2 * node] > 0 ? 2 * node : 2 * node + 1;
            int index = node - _leaves;
            SetLeaf(index, free: false);
            _free--;
            frame = _range.FrameAt(index);
        }
        _lock.Release();
        return frame;
    }

    public void Free(ulong frame)
    {
        _lock.Acquire();
        SetLeaf((int)_range.IndexOf(frame), free: true);
        _free++;
        _lock.Release();
    }

    public ulong AllocateContiguous(int count)
    {
        if (count < 1)
            return 0;
        _lock.Acquire();
        int start = FindRun(count);
        if (start >= 0)
        {
            for (int i = 0; i < count; i++)
                SetLeaf(start + i, free: false);
            _free -= count;
            if (count > 1)
                _contiguous++;
        }
        _lock.Release();
        return start < 0 ? 0 : _range.FrameAt(start);
    }

    public IEnumerable<(string Name, long Value)> Counters()
    {
        yield return ("contiguous allocations", ContiguousAllocations);
        yield return ("longest free run", Volatile.Read(ref _longest[1]));
    }

    /// <summary>Caller holds _lock. The index of the first frame of the leftmost run of <paramref name="count"/> free frames, or -1.</summary>
    private int FindRun(int count)
    {
        if (_longest[1] < count)
            return -1;
        int node = 1;
        while (node < _leaves)
        {
            int left = 2 * node, right = left + 1;
            if (_longest[left] >= count)
            {
                node = left;
            }
            else if (_fromRight[left] + _fromLeft[right] >= count)
            {
                // The run straddles the middle: it starts where the left half's last free run does.
                int middle = (right << Level(right)) - _leaves;
                return middle - _fromRight[left];
            }
            else
            {
                node = right;
            }
        }
        return node - _leaves;
    }

    /// <summary>How many levels a node sits above the leaves (0 for a leaf).</summary>
    private int Level(int node) => BitOperations.Log2((uint)_leaves) - BitOperations.Log2((uint)node);

    private int Width(int node) => 1 << Level(node);

    /// <summary>Caller holds _lock. Marks one leaf free or in use and mends the path to the root.</summary>
    private void SetLeaf(int index, bool free)
    {
        int node = _leaves + index;
        int value = free ? 1 : 0;
        _longest[node] = _fromLeft[node] = _fromRight[node] = value;
        for (int width = 2; node > 1; width *= 2)
        {
            node /= 2;
            Combine(node, width);
        }
    }

    /// <summary>A node's three runs from its children's; <paramref name="width"/> is the node's stretch.</summary>
    private void Combine(int node, int width)
    {
        int left = 2 * node, right = left + 1, half = width / 2;
        _fromLeft[node] = _fromLeft[left] == half ? half + _fromLeft[right] : _fromLeft[left];
        _fromRight[node] = _fromRight[right] == half ? half + _fromRight[left] : _fromRight[right];
        _longest[node] = Math.Max(Math.Max(_longest[left], _longest[right]), _fromRight[left] + _fromLeft[right]);
    }
}
