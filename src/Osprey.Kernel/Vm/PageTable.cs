using Osprey.Kernel.Mem;
using Osprey.Kernel.Sync;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// An Sv39 page table in guest memory, walked and edited in software (xv6's vm.c). The
/// tables' frames come from the frame allocator. Only user mappings live here: the kernel
/// is host code, so there is no trampoline or kernel half.
///
/// The threads of one task change and copy through its table at the same time on different
/// CPUs, so every operation that edits or copies a range holds that range's locks
/// (<see cref="Locks"/>, one per 32 MiB). A removed or narrowed mapping is shot down from
/// every other CPU running the table (<see cref="Tlb.Shootdown"/>) before its frame is freed,
/// so no thread can reach a freed frame through a stale TLB entry. Lookups without the locks
/// (<see cref="Lookup"/>, <see cref="Translate"/>) are hints, rechecked under them.
/// </summary>
public sealed class PageTable
{
    /// <summary>One past the highest user address: the top of Sv39's lower half, as xv6's MAXVA.</summary>
    public const ulong MaxVirtualAddress = 1UL << 38;

    public const ulong PageSize = PhysicalMemory.PageSize;

    /// <summary>How many pages an unmap clears before one shootdown and freeing their frames.</summary>
    private const int UnmapBatch = 64;

    private readonly PhysicalMemory _memory;
    private readonly FrameAllocator _frames;
    private readonly Tlb? _tlb;

    // Protects the root table's entries, which 32 regions share (making a level-1 table).
    private readonly Spinlock _rootLock = new("pgroot");

    // Protects Generation and _changedPages.
    private readonly Spinlock _changesLock = new("tlb");
    private long _generation;

    private PageTable(PhysicalMemory memory, FrameAllocator frames, Tlb? tlb, ulong root)
    {
        _memory = memory;
        _frames = frames;
        _tlb = tlb;
        Root = root;
    }

    /// <summary>The range locks: one per 32 MiB of the address space.</summary>
    public RangeLocks Locks { get; } = new();

    /// <summary>The root table's frame; satp points here.</summary>
    public ulong Root { get; }

    /// <summary>
    /// Bumped once per page whose mapping is removed or narrowed, so that a CPU whose TLB may
    /// hold this table's old entries knows to flush before running it again.
    /// </summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>How many of the latest changed pages are remembered for targeted flushes.</summary>
    public const int RememberedChanges = 16;

    // The page changed at generation g is at [g % RememberedChanges], for the latest ones.
    private readonly ulong[] _changedPages = new ulong[RememberedChanges];

    /// <summary>
    /// For a CPU whose TLB holds this table as of generation <paramref name="since"/>: flushes
    /// from <paramref name="mmu"/> the pages changed after it (what a targeted sfence.vma does)
    /// and says which generation that caught up with; false, flushing nothing, if more pages
    /// changed than are remembered (the caller then flushes everything).
    /// </summary>
    public bool FlushChangedSince(long since, Machine.Memory.Mmu mmu, out long caughtUp)
    {
        _changesLock.Acquire();
        caughtUp = _generation;
        bool remembered = since >= caughtUp - RememberedChanges;
        if (remembered)
        {
            for (long g = since + 1; g <= caughtUp; g++)
                mmu.Flush(_changedPages[g % RememberedChanges]);
        }
        _changesLock.Release();
        return remembered;
    }

    /// <summary>Caller holds the range lock of va and <see cref="_changesLock"/>.</summary>
    private void NoteChanged(ulong va)
    {
        long g = _generation + 1;
        _changedPages[g % RememberedChanges] = va;
        Volatile.Write(ref _generation, g);
    }

    public ulong Satp => Machine.Memory.Satp.Sv39(Root);

    /// <summary>
    /// An empty page table, or null when memory is exhausted. <paramref name="tlb"/> is how it
    /// shoots down other CPUs' stale entries; null for a table no CPU runs while it changes.
    /// </summary>
    public static PageTable? Create(PhysicalMemory memory, FrameAllocator frames, Tlb? tlb = null)
    {
        ulong root = frames.AllocateZeroed();
        return root == 0 ? null : new PageTable(memory, frames, tlb, root);
    }

    /// <summary>
    /// The physical address of the leaf PTE for <paramref name="va"/>, creating the tables on
    /// the way if <paramref name="create"/> (the caller then holds va's range lock); 0 if absent
    /// or memory ran out.
    /// </summary>
    public ulong Walk(ulong va, bool create)
    {
        if (va >= MaxVirtualAddress)
            throw Panic.Now($"walk: 0x{va:x} is not a user address");
        ulong table = Root;
        for (int level = 2; level > 0; level--)
        {
            ulong slot = table + Index(va, level) * 8;
            ulong pte = _memory.Read64(slot);
            if ((pte & Pte.V) != 0)
            {
                table = Pte.Address(pte);
                continue;
            }
            if (!create)
                return 0;
            table = level == 2 ? MakeSharedTable(slot) : MakeTable(slot);
            if (table == 0)
                return 0;
        }
        return table + Index(va, 0) * 8;
    }

    /// <summary>A new table for an entry the caller's range lock protects; 0 when memory ran out.</summary>
    private ulong MakeTable(ulong slot)
    {
        ulong next = _frames.AllocateZeroed();
        if (next != 0)
            _memory.Write64(slot, Pte.Make(next, Pte.V));
        return next;
    }

    /// <summary>A level-1 table for a root entry, which 32 regions share: made once, under the root lock.</summary>
    private ulong MakeSharedTable(ulong slot)
    {
        _rootLock.Acquire();
        ulong pte = _memory.Read64(slot);
        ulong table = (pte & Pte.V) != 0 ? Pte.Address(pte) : MakeTable(slot);
        _rootLock.Release();
        return table;
    }

    /// <summary>The physical address <paramref name="va"/> maps to for a user access, or 0 if none.</summary>
    public ulong Translate(ulong va)
    {
        if (va >= MaxVirtualAddress)
            return 0;
        ulong slot = Walk(va, create: false);
        if (slot == 0)
            return 0;
        ulong pte = _memory.Read64(slot);
        if ((pte & (Pte.V | Pte.U)) != (Pte.V | Pte.U))
            return 0;
        return Pte.Address(pte) | (va & (PageSize - 1));
    }

    /// <summary>The leaf PTE for <paramref name="va"/>, or 0.</summary>
    public ulong Lookup(ulong va)
    {
        ulong slot = va < MaxVirtualAddress ? Walk(va, create: false) : 0;
        return slot == 0 ? 0 : _memory.Read64(slot);
    }

    /// <summary>Maps [va, va+size) to frames from pa; false if a table could not be made. Remapping is a kernel bug.</summary>
    public bool Map(ulong va, ulong size, ulong pa, ulong rights)
    {
        using RangeLocks.Held held = Locks.Hold(va, va + size);
        return MapLocked(va, size, pa, rights);
    }

    private bool MapLocked(ulong va, ulong size, ulong pa, ulong rights)
    {
        if (va % PageSize != 0 || size % PageSize != 0 || size == 0)
            throw Panic.Now($"mappages: unaligned 0x{va:x}+0x{size:x}");
        for (ulong off = 0; off < size; off += PageSize)
        {
            ulong slot = Walk(va + off, create: true);
            if (slot == 0)
                return false;
            if ((_memory.Read64(slot) & Pte.V) != 0)
                throw Panic.Now($"mappages: remap of 0x{va + off:x}");
            _memory.Write64(slot, Pte.Make(pa + off, rights | Pte.V));
        }
        return true;
    }

    /// <summary>Removes npages mappings from va (which must exist), freeing their frames if asked.</summary>
    public void Unmap(ulong va, ulong pages, bool freeFrames)
    {
        using RangeLocks.Held held = Locks.Hold(va, va + pages * PageSize);
        UnmapLocked(va, pages, freeFrames);
    }

    /// <summary>
    /// Caller holds the range's locks. Clears the entries a batch at a time; each batch is shot
    /// down from the other CPUs' TLBs before its frames go back to the allocator.
    /// </summary>
    private void UnmapLocked(ulong va, ulong pages, bool freeFrames)
    {
        Span<ulong> batch = stackalloc ulong[UnmapBatch];
        for (ulong i = 0; i < pages;)
        {
            int n = 0;
            _changesLock.Acquire();
            for (; i < pages && n < batch.Length; i++)
            {
                ulong a = va + i * PageSize;
                ulong slot = Walk(a, create: false);
                ulong pte = slot == 0 ? 0 : _memory.Read64(slot);
                if ((pte & Pte.V) == 0)
                {
                    _changesLock.Release();
                    throw Panic.Now($"uvmunmap: 0x{a:x} not mapped");
                }
                batch[n++] = Pte.Address(pte);
                _memory.Write64(slot, 0);
                NoteChanged(a);
            }
            _changesLock.Release();
            _tlb?.Shootdown(this);
            if (freeFrames)
            {
                foreach (ulong frame in batch[..n])
                    _frames.Free(frame);
            }
        }
    }

    /// <summary>Clears the U bit of one page (xv6's uvmclear: the stack guard page).</summary>
    public void ClearUser(ulong va)
    {
        using (Locks.Hold(va, va + 1))
        {
            ulong slot = Walk(va, create: false);
            if (slot == 0)
                throw Panic.Now($"uvmclear: 0x{va:x} not mapped");
            _changesLock.Acquire();
            _memory.Write64(slot, _memory.Read64(slot) & ~Pte.U);
            NoteChanged(va);
            _changesLock.Release();
        }
        _tlb?.Shootdown(this);
    }

    /// <summary>
    /// Grows user memory from oldSize to newSize with zeroed frames mapped R|U plus
    /// <paramref name="rights"/>; returns the new size, or 0 after undoing a partial growth.
    /// </summary>
    public ulong Grow(ulong oldSize, ulong newSize, ulong rights)
    {
        if (newSize < oldSize)
            return oldSize;
        if (newSize > MaxVirtualAddress)
            return 0;
        using RangeLocks.Held held = Locks.Hold(RoundUp(oldSize), newSize);
        for (ulong a = RoundUp(oldSize); a < newSize; a += PageSize)
        {
            ulong frame = _frames.AllocateZeroed();
            if (frame == 0 || !MapLocked(a, PageSize, frame, Pte.R | Pte.U | rights))
            {
                if (frame != 0)
                    _frames.Free(frame);
                ShrinkLocked(a, oldSize);
                return 0;
            }
        }
        return newSize;
    }

    /// <summary>Shrinks user memory from oldSize to newSize, freeing frames; returns newSize.</summary>
    public ulong Shrink(ulong oldSize, ulong newSize)
    {
        if (newSize >= oldSize)
            return oldSize;
        using RangeLocks.Held held = Locks.Hold(RoundUp(newSize), RoundUp(oldSize));
        return ShrinkLocked(oldSize, newSize);
    }

    private ulong ShrinkLocked(ulong oldSize, ulong newSize)
    {
        if (newSize >= oldSize)
            return oldSize;
        ulong from = RoundUp(newSize), to = RoundUp(oldSize);
        if (from < to)
            UnmapLocked(from, (to - from) / PageSize, freeFrames: true);
        return newSize;
    }

    /// <summary>Fork's copy: every page of [0, size) copied into <paramref name="child"/>. False (child partly filled) if memory ran out.</summary>
    public bool CopyTo(PageTable child, ulong size)
    {
        using RangeLocks.Held held = Locks.Hold(0, size);
        for (ulong a = 0; a < size; a += PageSize)
        {
            ulong pte = Lookup(a);
            if ((pte & Pte.V) == 0)
                throw Panic.Now($"uvmcopy: 0x{a:x} not mapped");
            ulong frame = _frames.Allocate();
            if (frame == 0)
            {
                child.Shrink(a, 0);
                return false;
            }
            _memory.Copy(frame, Pte.Address(pte), PageSize);
            if (!child.Map(a, PageSize, frame, pte & (Pte.R | Pte.W | Pte.X | Pte.U)))
            {
                _frames.Free(frame);
                child.Shrink(a, 0);
                return false;
            }
        }
        return true;
    }

    /// <summary>Frees user memory of [0, size) and then every table frame, root included (no thread runs on it any more).</summary>
    public void Free(ulong size)
    {
        if (size > 0)
            Unmap(0, RoundUp(size) / PageSize, freeFrames: true);
        FreeTables(Root, 2);
    }

    private void FreeTables(ulong table, int level)
    {
        for (ulong i = 0; i < 512; i++)
        {
            ulong pte = _memory.Read64(table + i * 8);
            if ((pte & Pte.V) == 0)
                continue;
            if ((pte & (Pte.R | Pte.W | Pte.X)) != 0 || level == 0)
                throw Panic.Now("freewalk: leaf still mapped");
            FreeTables(Pte.Address(pte), level - 1);
        }
        _frames.Free(table);
    }

    public static ulong RoundUp(ulong a) => (a + PageSize - 1) & ~(PageSize - 1);

    public static ulong RoundDown(ulong a) => a & ~(PageSize - 1);

    private static ulong Index(ulong va, int level) => (va >> (12 + 9 * level)) & 0x1FF;
}
