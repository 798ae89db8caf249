using System.Numerics;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Mem;

/// <summary>
/// <c>bitmap</c>, the naive baseline the segment tree is measured against: one bit per frame
/// (set while it is in use), scanned a 64-bit word at a time from a rotating cursor (next fit:
/// the search starts where the last one ended). Free is O(1); allocation costs the words it
/// passes over, which stays small while memory is mostly free and grows as it fills, up to the
/// whole map when one frame is left. A run of n frames is searched bit by bit from the start.
///
/// The map lives in host memory, so a frame is touched only once it is handed out. Bits past
/// the last frame are set, so they are never handed out.
///
/// <see cref="_lock"/> (<c>kmem</c>) protects the map, the cursor and the counters.
/// </summary>
public sealed class BitmapPolicy : IFramePolicy
{
    private readonly FramePolicyRange _range;
    private readonly Spinlock _lock = new("kmem");
    private readonly ulong[] _used;
    private int _cursor;
    private long _free, _wordsScanned;

    public BitmapPolicy(FramePolicyRange range)
    {
        _range = range;
        long frames = range.Frames;
        _used = new ulong[(frames + 63) / 64];
        if (frames % 64 != 0)
            _used[^1] = ~0UL << (int)(frames % 64);
        _free = frames;
    }

    public string Name => "bitmap";

    public long FreeFrames => Volatile.Read(ref _free);

    /// <summary>Words of the map looked at by allocations: the cost that grows as memory fills.</summary>
    public long WordsScanned => Volatile.Read(ref _wordsScanned);

    public ulong Allocate()
    {
        _lock.Acquire();
        ulong frame = 0;
        for (int n = 0; n < _used.Length; n++)
        {
            int w = (_cursor + n) % _used.Length;
            _wordsScanned++;
            if (_used[w] != ~0UL)
            {
                int bit = BitOperations.TrailingZeroCount(~_used[w]);
                _used[w] |= 1UL << bit;
                _cursor = w;
                _free--;
                frame = _range.FrameAt(w * 64L + bit);
                break;
            }
        }
        _lock.Release();
        return frame;
    }

    public void Free(ulong frame)
    {
        long index = _range.IndexOf(frame);
        _lock.Acquire();
        _used[index / 64] &= ~(1UL << (int)(index % 64));
        _free++;
        _lock.Release();
    }

    public ulong AllocateContiguous(int count)
    {
        if (count < 1)
            return 0;
        _lock.Acquire();
        long run = 0, start = -1;
        long frames = _range.Frames;
        for (long i = 0; i < frames; i++)
        {
            run = IsUsed(i) ? 0 : run + 1;
            if (run == count)
            {
                start = i - count + 1;
                break;
            }
        }
        if (start >= 0)
        {
            for (long i = start; i < start + count; i++)
                _used[i / 64] |= 1UL << (int)(i % 64);
            _free -= count;
        }
        _lock.Release();
        return start < 0 ? 0 : _range.FrameAt(start);
    }

    public IEnumerable<(string Name, long Value)> Counters()
    {
        yield return ("words scanned", WordsScanned);
    }

    private bool IsUsed(long index) => (_used[index / 64] & (1UL << (int)(index % 64))) != 0;
}
