using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Vm;

/// <summary>
/// The locks of one user address space's page table, one per 32 MiB of it (sixteen leaf page
/// tables of Sv39, each mapping 2 MiB), so that threads of one task changing or copying
/// through different parts of their memory on different CPUs do not wait for each other. An
/// operation over a range takes the locks of every region it touches in address order and
/// lets them go in reverse, so two operations can never each hold a lock the other wants.
///
/// A region's lock protects the leaf entries of its 32 MiB and the entries of the level-1
/// table that point at its leaf tables; the root's entries are shared by 32 regions and are
/// made under the page table's own lock. The locks are spinlocks: nothing done under one
/// sleeps (frames come from the allocator, copies go to and from guest memory), and they may
/// be taken under a pipe's or the console's spinlock, which copy user memory. They are made
/// when a region is first touched. Lock order: a region's lock before a lower one's is never
/// taken; range locks come after proc, task, vm, pipe and cons, before tlb, kmem and sched.
/// They are one class, ptrange, in the lock registry; lockdep orders the first lock of each
/// <see cref="Hold"/> and trusts the address order for the rest.
/// </summary>
public sealed class RangeLocks
{
    /// <summary>log2 of the bytes one lock covers: 32 MiB.</summary>
    public const int RegionShift = 25;

    private const int Regions = (int)(PageTable.MaxVirtualAddress >> RegionShift);
    private const int ChunkShift = 7;

    // Two levels, made on demand: 64 chunks of 128 locks cover Sv39's 256 GiB of user space.
    private readonly Spinlock?[]?[] _chunks = new Spinlock?[]?[Regions >> ChunkShift];

    /// <summary>The lock of the region holding <paramref name="va"/>.</summary>
    public Spinlock For(ulong va) => Region((int)(va >> RegionShift));

    /// <summary>
    /// Takes the locks of every region that [<paramref name="start"/>, <paramref name="end"/>)
    /// touches, lowest first; nothing for an empty range. Dispose the result to let them go.
    /// </summary>
    public Held Hold(ulong start, ulong end)
    {
        if (end > PageTable.MaxVirtualAddress)
            end = PageTable.MaxVirtualAddress;
        if (start >= end)
            return default;
        int first = (int)(start >> RegionShift), last = (int)((end - 1) >> RegionShift);
        Region(first).Acquire();
        for (int r = first + 1; r <= last; r++)
            Region(r).AcquireInOrder(); // address order: lockdep orders the first for all
        return new Held(this, first, last);
    }

    /// <summary>The page table is freed: every lock made for it leaves the lock registry (its figures stay in the class's sum).</summary>
    public void Retire()
    {
        foreach (Spinlock?[]? chunk in _chunks)
        {
            if (chunk == null)
                continue;
            foreach (Spinlock? l in chunk)
                l?.Retire();
        }
    }

    private Spinlock Region(int r)
    {
        ref Spinlock?[]? chunk = ref _chunks[r >> ChunkShift];
        if (chunk == null)
            Interlocked.CompareExchange(ref chunk, new Spinlock?[1 << ChunkShift], null);
        ref Spinlock? slot = ref chunk[r & ((1 << ChunkShift) - 1)];
        if (slot == null)
            Interlocked.CompareExchange(ref slot, new Spinlock("ptrange"), null);
        return slot;
    }

    /// <summary>The locks one <see cref="Hold"/> took.</summary>
    public readonly ref struct Held(RangeLocks? locks, int first, int last)
    {
        public void Dispose()
        {
            if (locks == null)
                return;
            for (int r = last; r >= first; r--)
                locks.Region(r).Release();
        }
    }
}
