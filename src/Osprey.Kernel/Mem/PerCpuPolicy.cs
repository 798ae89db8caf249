using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Mem;

/// <summary>
/// <c>percpu</c>, the kalloc lab's answer: a pool of free frames per CPU, each under its own lock
/// (<c>kmem.cpu0</c>, <c>kmem.cpu1</c>, ...: one class, and every name starts with kmem as the
/// lab requires). Allocation and free use the current CPU's pool with interrupts off, so the
/// thread cannot move to another CPU in between and no other thread runs on this one; two CPUs
/// therefore contend only when one steals from the other.
///
/// A pool is a free list threaded through its frames, as <see cref="FreeListPolicy"/>'s, plus a
/// frontier of frames never handed out: at boot RAM is split evenly between the CPUs' frontiers,
/// untouched. A CPU whose pool is empty steals half of another's (at least one frame): half of
/// its frontier if it has one, else half of its list. It never holds two pool locks at once:
/// it takes the batch under the victim's lock, drops it, and adds the batch under its own.
///
/// A pool's lock protects its list head, list count and frontier; <see cref="_steals"/> and
/// <see cref="_stolen"/> are atomic counters.
/// </summary>
public sealed class PerCpuPolicy : IFramePolicy
{
    private const ulong EndOfList = 0;

    private readonly FramePolicyRange _range;
    private readonly Pool[] _pools;
    private long _steals, _stolen;

    public PerCpuPolicy(FramePolicyRange range, int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        _range = range;
        _pools = new Pool[cpus];
        long share = range.Frames / cpus;
        for (int i = 0; i < cpus; i++)
        {
            _pools[i] = new Pool(new Spinlock($"kmem.cpu{i}", "kmem.cpu"))
            {
                FrontierNext = range.FrameAt(i * share),
                FrontierEnd = i == cpus - 1 ? range.End : range.FrameAt((i + 1) * share),
            };
        }
    }

    public string Name => "percpu";

    /// <summary>Steals, and the frames they moved.</summary>
    public long Steals => Volatile.Read(ref _steals);

    public long StolenFrames => Volatile.Read(ref _stolen);

    public long FreeFrames => _pools.Sum(p => p.Free);

    /// <summary>Free frames in one CPU's pool (read without its lock: a snapshot).</summary>
    public long FreeOn(int cpu) => _pools[cpu].Free;

    public ulong Allocate()
    {
        Cpu cpu = Cpu.PushOff();
        ulong frame = AllocateFrom(cpu.IndexIn(_pools.Length));
        Cpu.PopOff();
        return frame;
    }

    public void Free(ulong frame)
    {
        Cpu cpu = Cpu.PushOff();
        FreeTo(cpu.IndexIn(_pools.Length), frame);
        Cpu.PopOff();
    }

    /// <summary>Interrupts are off. A frame from CPU <paramref name="mine"/>'s pool, stealing if it is empty (tests name the CPU).</summary>
    internal ulong AllocateFrom(int mine)
    {
        ulong frame = TakeOne(_pools[mine]);
        return frame != EndOfList ? frame : Steal(mine);
    }

    /// <summary>Interrupts are off. Puts a frame on CPU <paramref name="cpu"/>'s list.</summary>
    internal void FreeTo(int cpu, ulong frame)
    {
        Pool pool = _pools[cpu];
        pool.Lock.Acquire();
        _range.Memory.Write64(frame, pool.Head);
        pool.Head = frame;
        pool.Listed++;
        pool.Lock.Release();
    }

    /// <summary>Pools hold scattered frames: contiguous runs need the segment tree or the bitmap.</summary>
    public ulong AllocateContiguous(int count) => count == 1 ? Allocate() : 0;

    public IEnumerable<(string Name, long Value)> Counters()
    {
        yield return ("steals", Steals);
        yield return ("stolen frames", StolenFrames);
        for (int i = 0; i < _pools.Length; i++)
            yield return ($"cpu{i} free", FreeOn(i));
    }

    private ulong TakeOne(Pool pool)
    {
        pool.Lock.Acquire();
        ulong frame = pool.Pop(_range);
        pool.Lock.Release();
        return frame;
    }

    /// <summary>Interrupts are off. Moves half of the first other pool that has frames into this CPU's, and takes one.</summary>
    private ulong Steal(int mine)
    {
        for (int k = 1; k < _pools.Length; k++)
        {
            Pool victim = _pools[(mine + k) % _pools.Length];
            victim.Lock.Acquire();
            Batch batch = victim.TakeHalf(_range);
            victim.Lock.Release();
            if (batch.Count == 0)
                continue;
            Interlocked.Increment(ref _steals);
            Interlocked.Add(ref _stolen, batch.Count);

            Pool pool = _pools[mine];
            pool.Lock.Acquire();
            pool.Add(batch, _range);
            ulong frame = pool.Pop(_range);
            pool.Lock.Release();
            if (frame != EndOfList)
                return frame;
        }
        return EndOfList;
    }

    /// <summary>
    /// Frames moving between pools: a stretch of frontier [<see cref="RangeStart"/>,
    /// <see cref="RangeEnd"/>), or a piece of a list from <see cref="Head"/> to <see cref="Tail"/>.
    /// </summary>
    private readonly record struct Batch(long Count, ulong RangeStart, ulong RangeEnd, ulong Head, ulong Tail);

    /// <summary>One CPU's frames. Its lock protects every other field.</summary>
    private sealed class Pool(Spinlock lockOfPool)
    {
        public Spinlock Lock { get; } = lockOfPool;
        public ulong Head;
        public long Listed;
        public ulong FrontierNext, FrontierEnd;

        public long Free => Volatile.Read(ref Listed) + (long)((Volatile.Read(ref FrontierEnd) - Volatile.Read(ref FrontierNext)) / FramePolicyRange.FrameSize);

        private long FrontierFrames => (long)((FrontierEnd - FrontierNext) / FramePolicyRange.FrameSize);

        /// <summary>Caller holds Lock.</summary>
        public ulong Pop(FramePolicyRange range)
        {
            ulong frame = Head;
            if (frame != EndOfList)
            {
                Head = range.Memory.Read64(frame);
                Listed--;
            }
            else if (FrontierNext < FrontierEnd)
            {
                frame = FrontierNext;
                FrontierNext += FramePolicyRange.FrameSize;
            }
            return frame;
        }

        /// <summary>Caller holds Lock. Half of the frontier from its top, or else half of the list; at least one frame if any.</summary>
        public Batch TakeHalf(FramePolicyRange range)
        {
            if (FrontierFrames > 0)
            {
                long n = (FrontierFrames + 1) / 2;
                ulong end = FrontierEnd;
                FrontierEnd -= (ulong)n * FramePolicyRange.FrameSize;
                return new Batch(n, FrontierEnd, end, EndOfList, EndOfList);
            }
            if (Listed == 0)
                return default;
            long count = (Listed + 1) / 2;
            ulong head = Head, tail = Head;
            for (long i = 1; i < count; i++)
                tail = range.Memory.Read64(tail);
            Head = range.Memory.Read64(tail);
            Listed -= count;
            return new Batch(count, 0, 0, head, tail);
        }

        /// <summary>Caller holds Lock; the pool is empty (its CPU just found it so, and only thieves touched it since).</summary>
        public void Add(Batch batch, FramePolicyRange range)
        {
            if (batch.RangeEnd != 0)
            {
                if (FrontierNext < FrontierEnd)
                    throw Panic.Now($"percpu: {Lock.Name} got a stolen frontier while it still has one");
                FrontierNext = batch.RangeStart;
                FrontierEnd = batch.RangeEnd;
                return;
            }
            range.Memory.Write64(batch.Tail, Head);
            Head = batch.Head;
            Listed += batch.Count;
        }
    }
}
