using Osprey.Kernel.Proc;
using Osprey.Kernel.Sync;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// An Sv39 page table in guest memory, walked and edited in software (xv6's vm.c): one
/// process's address space. The tables' frames come from the frame allocator; the frames its
/// leaves map are user frames from <see cref="VirtualMemory"/>, each leaf holding one
/// reference to its frame (except leaves of the zero frame, which hold a reservation instead:
/// see <see cref="SoftwarePte"/>). Only user mappings live here: the kernel is host code, so
/// there is no trampoline or kernel half.
///
/// The threads of one task change and copy through its table at the same time on different
/// CPUs, so every operation that edits or copies a range holds that range's locks
/// (<see cref="Locks"/>, one per 32 MiB), and so does the fault path for the page it
/// resolves. A removed or narrowed mapping is shot down from every other CPU running the
/// table (<see cref="Tlb.Shootdown"/>) before the frame it mapped loses the reference, so no
/// thread reaches a freed or replaced frame through a stale TLB entry. Lookups without the
/// locks (<see cref="Lookup"/>, <see cref="Translate"/>) are hints, rechecked under them.
/// Frames shared with other tables are safe to share because their counts are atomic.
/// </summary>
public sealed class PageTable
{
    /// <summary>One past the highest user address: the top of Sv39's lower half, as xv6's MAXVA.</summary>
    public const ulong MaxVirtualAddress = 1UL << 38;

    public const ulong PageSize = PhysicalMemory.PageSize;

    /// <summary>How many pages an unmap clears before one shootdown and dropping their frames.</summary>
    private const int UnmapBatch = 64;

    private readonly VirtualMemory _vm;
    private readonly PhysicalMemory _memory;
    private long _resident;

    // Protects the root table's entries, which 32 regions share (making a level-1 table).
    private readonly Spinlock _rootLock = new("pgroot");

    // Protects Generation and _changedPages.
    private readonly Spinlock _changesLock = new("tlb");
    private long _generation;

    private PageTable(VirtualMemory vm, ulong root)
    {
        _vm = vm;
        _memory = vm.Memory;
        Root = root;
    }

    /// <summary>The root table's frame; satp points here.</summary>
    public ulong Root { get; }

    public VirtualMemory Vm => _vm;

    /// <summary>The range locks: one per 32 MiB of the address space.</summary>
    public RangeLocks Locks { get; } = new();

    /// <summary>
    /// The process whose address space this is, from when exec or fork installs it; null while
    /// exec builds it. The fault path needs it for the break (the lazy heap ends there) and
    /// for the counters and the kill.
    /// </summary>
    public Process? Owner { get; internal set; }

    /// <summary>
    /// The lowest address of the program's contiguous part, [ImageStart, size): 0 for an xv6
    /// program, whose text starts at 0; PEBBLES_USER_START for a Pebbles program, which has
    /// nothing mapped below its text. Set by exec, copied by fork.
    /// </summary>
    public ulong ImageStart { get; internal set; }

    /// <summary>Where the heap starts: the size exec left (the --lazy-sbrk heap is [HeapStart, size)).</summary>
    public ulong HeapStart { get; internal set; }

    /// <summary>The regions outside [ImageStart, size): a Pebbles stack, new_pages regions. Changed under the owner's memory lock.</summary>
    public Regions Regions { get; } = new();

    /// <summary>Pages mapping a frame of their own (shared ones included, the zero frame not): the resident set.</summary>
    public long Resident => Volatile.Read(ref _resident);

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
    public bool FlushChangedSince(long since, Mmu mmu, out long caughtUp)
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

    /// <summary>A page's mapping was removed or narrowed: the next generation. Caller holds its range lock.</summary>
    private void NoteChanged(ulong va)
    {
        _changesLock.Acquire();
        long g = _generation + 1;
        _changedPages[g % RememberedChanges] = va;
        Volatile.Write(ref _generation, g);
        _changesLock.Release();
    }

    /// <summary>Makes every other CPU running this table drop what its TLB holds from before the changes noted so far.</summary>
    private void Shootdown() => _vm.Tlb?.Shootdown(this);

    public ulong Satp => Machine.Memory.Satp.Sv39(Root);

    /// <summary>An empty page table, or null when memory is exhausted.</summary>
    public static PageTable? Create(VirtualMemory vm)
    {
        ulong root = vm.Frames.AllocateZeroed();
        return root == 0 ? null : new PageTable(vm, root);
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
        ulong next = _vm.Frames.AllocateZeroed();
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

    /// <summary>The span of addresses one leaf table maps: 512 pages.</summary>
    private const ulong LeafTableSpan = PageSize * 512;

    /// <summary>
    /// The next leaf (level-0) table that exists for addresses from <paramref name="va"/> up to
    /// <paramref name="end"/>: moves <paramref name="va"/> past the ranges whose tables are
    /// missing (so a scan of a sparse range, a lazy heap of gigabytes, skips what was never
    /// mapped) and gives the table; false when none is left. The range scans (unmap, fork's
    /// copy) then walk the table's slots directly instead of walking from the root per page.
    /// </summary>
    private bool NextLeafTable(ref ulong va, ulong end, out ulong table)
    {
        while (va < end)
        {
            table = Root;
            int level = 2;
            for (; level > 0; level--)
            {
                ulong pte = _memory.Read64(table + Index(va, level) * 8);
                if ((pte & Pte.V) == 0)
                    break;
                table = Pte.Address(pte);
            }
            if (level == 0)
                return true;
            ulong span = 1UL << (12 + 9 * level);
            va = (va & ~(span - 1)) + span;
        }
        table = 0;
        return false;
    }

    /// <summary>Where the scan of the leaf table holding <paramref name="va"/> stops: its end, or <paramref name="end"/>.</summary>
    private static ulong EndOfLeafTable(ulong va, ulong end) => Math.Min(end, (va & ~(LeafTableSpan - 1)) + LeafTableSpan);

    private static ulong SlotIn(ulong table, ulong va) => table + Index(va, 0) * 8;

    /// <summary>Maps one page to a user frame the caller holds a reference to (which the entry takes over); false if a table could not be made.</summary>
    private bool Map(ulong va, ulong frame, ulong rights)
    {
        ulong slot = Walk(va, create: true);
        if (slot == 0)
            return false;
        Install(slot, va, Pte.Make(frame, rights | Pte.V));
        return true;
    }

    /// <summary>Writes a leaf into an empty slot. Remapping is a kernel bug.</summary>
    internal void Install(ulong slot, ulong va, ulong pte)
    {
        if ((_memory.Read64(slot) & Pte.V) != 0)
            throw Panic.Now($"mappages: remap of 0x{va:x}");
        _memory.Write64(slot, pte);
        if (Pte.Address(pte) != VirtualMemory.ZeroFrame)
            Interlocked.Increment(ref _resident);
    }

    /// <summary>
    /// Rewrites a present leaf (the fault path, holding the page's range lock).
    /// <paramref name="narrowed"/>: the entry now maps another frame or allows less, so every
    /// CPU must drop what its TLB holds for the page; when this returns, the other CPUs have
    /// (a shootdown), so the caller may let the old frame go.
    /// </summary>
    internal void Replace(ulong slot, ulong va, ulong pte, bool narrowed)
    {
        ulong old = _memory.Read64(slot);
        _memory.Write64(slot, pte);
        long change = (Pte.Address(pte) != VirtualMemory.ZeroFrame ? 1 : 0) - (Pte.Address(old) != VirtualMemory.ZeroFrame ? 1 : 0);
        if (change != 0)
            Interlocked.Add(ref _resident, change);
        if (narrowed)
        {
            NoteChanged(va);
            Shootdown();
        }
    }

    /// <summary>
    /// Removes the mappings of [from, to), dropping what each held (a frame reference, or a
    /// zero-frame promise). A missing page is a kernel bug when <paramref name="requirePresent"/>,
    /// and skipped otherwise (the lazy heap, an address space half built by fork). The caller
    /// holds the range's locks. Frames are let go a batch at a time, each batch only once it is
    /// shot down from the other CPUs' TLBs.
    /// </summary>
    private void Unmap(ulong from, ulong to, bool requirePresent)
    {
        Span<ulong> batch = stackalloc ulong[UnmapBatch];
        int held = 0;
        for (ulong a = from; a < to;)
        {
            ulong start = a;
            if (!NextLeafTable(ref a, to, out ulong table) || a != start)
            {
                if (requirePresent)
                    throw Panic.Now($"uvmunmap: 0x{start:x} not mapped");
                if (a >= to)
                    break;
            }
            for (ulong stop = EndOfLeafTable(a, to); a < stop; a += PageSize)
            {
                ulong slot = SlotIn(table, a);
                ulong pte = _memory.Read64(slot);
                if ((pte & Pte.V) == 0)
                {
                    if (requirePresent)
                        throw Panic.Now($"uvmunmap: 0x{a:x} not mapped");
                    continue;
                }
                _memory.Write64(slot, 0);
                NoteChanged(a);
                if ((pte & SoftwarePte.Zero) != 0)
                {
                    _vm.ZeroUnmapped(kept: false);
                }
                else
                {
                    Interlocked.Decrement(ref _resident);
                    batch[held++] = Pte.Address(pte);
                    if (held == batch.Length)
                        held = Release(batch, held);
                }
            }
        }
        Release(batch, held);
    }

    /// <summary>Shoots down the entries cleared so far, then drops the references of their frames; returns 0, the batch's new size.</summary>
    private int Release(Span<ulong> frames, int count)
    {
        if (count == 0)
            return 0;
        Shootdown();
        foreach (ulong frame in frames[..count])
            _vm.References.Release(frame);
        return 0;
    }

    /// <summary>Clears the U bit of one page (xv6's uvmclear: the stack guard page).</summary>
    public void ClearUser(ulong va)
    {
        using (Locks.Hold(va, va + 1))
        {
            ulong slot = Walk(va, create: false);
            if (slot == 0)
                throw Panic.Now($"uvmclear: 0x{va:x} not mapped");
            _memory.Write64(slot, _memory.Read64(slot) & ~Pte.U);
            NoteChanged(va);
        }
        Shootdown();
    }

    /// <summary>
    /// Grows user memory from oldSize to newSize with zeroed frames, allocated now, mapped R|U
    /// plus <paramref name="rights"/> (exec's segments and stack); returns the new size, or 0
    /// after undoing a partial growth.
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
            ulong frame = _vm.NewFrame(zeroed: true);
            if (frame == 0 || !Map(a, frame, Pte.R | Pte.U | rights))
            {
                if (frame != 0)
                    _vm.References.Release(frame);
                ShrinkLocked(a, oldSize);
                return 0;
            }
        }
        return newSize;
    }

    /// <summary>
    /// Grows user memory from oldSize to newSize with promised pages (sbrk): a frame is
    /// reserved for every new page and each maps the zero frame read-only, marked
    /// <see cref="SoftwarePte.Zero"/>, until its first store. Returns the new size, or 0 (and
    /// nothing changed) when memory cannot back them all.
    /// </summary>
    public ulong Promise(ulong oldSize, ulong newSize)
    {
        if (newSize < oldSize)
            return oldSize;
        if (newSize > MaxVirtualAddress)
            return 0;
        ulong from = RoundUp(oldSize), to = RoundUp(newSize);
        if (!_vm.Promise((long)((to - from) / PageSize)))
            return 0;
        using RangeLocks.Held held = Locks.Hold(from, to);
        for (ulong a = from; a < to; a += PageSize)
        {
            ulong slot = Walk(a, create: true);
            if (slot == 0)
            {
                Unmap(from, a, requirePresent: true);
                _vm.Reservations.Unreserve((long)((to - a) / PageSize));
                return 0;
            }
            Install(slot, a, ZeroPte);
            _vm.ZeroMapped();
        }
        return newSize;
    }

    /// <summary>What a promised page's entry holds: the zero frame, readable, with the Zero mark.</summary>
    private ulong ZeroPte => Pte.Make(VirtualMemory.ZeroFrame, Pte.V | Pte.R | Pte.U | SoftwarePte.Zero);

    /// <summary>Shrinks user memory from oldSize to newSize, dropping its frames; returns newSize.</summary>
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
            Unmap(from, to, requirePresent: !_vm.LazySbrk);
        return newSize;
    }

    /// <summary>
    /// Fork's copy of [0, size) into the empty table <paramref name="child"/>. With
    /// copy-on-write, every page is shared: writable ones become read-only and
    /// <see cref="SoftwarePte.Cow"/> in both tables, read-only ones (text) stay as they are, and
    /// each frame gains a reference; with --no-cow every frame is copied, as xv6 does. The one
    /// exception is the page holding <paramref name="copyNow"/> (fork passes the parent's stack
    /// pointer), copied at once: both processes store to their stack straight away, so sharing
    /// it would only buy two faults on top of the same copy. Promised
    /// pages stay promised in the child, which reserves frames of its own for them.
    ///
    /// Everything that can fail comes first (the child's tables, its reservations), so that a
    /// failure leaves this table untouched: false, with the child holding at most empty
    /// tables, which the caller frees. A failed copy under --no-cow also gives back what it
    /// copied. Either way no frame leaks and no reference count has changed.
    ///
    /// The whole range's locks are held, so the task's other threads wait to change it (their
    /// faults included). The pages made copy-on-write are shot down from the CPUs running the
    /// task's other threads before this returns: once fork has returned, no thread of the
    /// parent can still write a shared frame through a writable entry its TLB kept.
    /// </summary>
    public bool CopyTo(PageTable child, ulong size, ulong copyNow = ulong.MaxValue)
    {
        bool copied;
        using (Locks.Hold(0, RoundUp(size)))
        {
            copied = CopyToLocked(child, 0, RoundUp(size), copyNow);
            Shootdown();
        }
        child.ImageStart = ImageStart;
        child.HeapStart = HeapStart;
        // The regions, one at a time under their own locks; a failure undoes every copy made.
        foreach (Region r in Regions.All)
        {
            if (!copied)
                break;
            using (Locks.Hold(r.Start, r.End))
            {
                copied = CopyToLocked(child, r.Start, r.End, copyNow);
                Shootdown();
            }
            if (copied)
                child.Regions.Add(r);
        }
        if (!copied)
            child.FreeMappings(size);
        return copied;
    }

    /// <summary>Unmaps everything of [0, size) and the regions (an address space about to go, or a failed copy's).</summary>
    private void FreeMappings(ulong size)
    {
        using (Locks.Hold(0, RoundUp(size)))
            Unmap(0, RoundUp(size), requirePresent: false);
        foreach (Region r in Regions.All)
        {
            using (Locks.Hold(r.Start, r.End))
                Unmap(r.Start, r.End, requirePresent: true);
        }
        Regions.Clear();
    }

    /// <summary>
    /// Removes the pages of [from, to) that one region holds (remove_pages), dropping their
    /// frames and promises once they are shot down. Every page must be mapped.
    /// </summary>
    public void RemoveRange(ulong from, ulong to)
    {
        using (Locks.Hold(from, to))
            Unmap(from, to, requirePresent: true);
    }

    private bool CopyToLocked(PageTable child, ulong from, ulong end, ulong copyNow)
    {
        copyNow = RoundDown(copyNow);
        long promised = 0;
        for (ulong a = from; NextLeafTable(ref a, end, out ulong table);)
        {
            bool tableMade = false;
            for (ulong stop = EndOfLeafTable(a, end); a < stop; a += PageSize)
            {
                ulong pte = _memory.Read64(SlotIn(table, a));
                if ((pte & Pte.V) == 0)
                    continue;
                if (!tableMade && child.Walk(a, create: true) == 0)
                    return false;
                tableMade = true;
                if ((pte & SoftwarePte.Zero) != 0)
                    promised++;
            }
        }
        if (!_vm.Promise(promised))
            return false;

        for (ulong a = from; NextLeafTable(ref a, end, out ulong table);)
        {
            ulong childTable = 0;
            for (ulong stop = EndOfLeafTable(a, end); a < stop; a += PageSize)
            {
                ulong slot = SlotIn(table, a);
                ulong pte = _memory.Read64(slot);
                if ((pte & Pte.V) == 0)
                    continue;
                if (childTable == 0)
                    childTable = child.Walk(a, create: false) - Index(a, 0) * 8;
                ulong childSlot = SlotIn(childTable, a);
                if ((pte & SoftwarePte.Zero) != 0)
                {
                    child.Install(childSlot, a, pte);
                    _vm.ZeroMapped();
                    promised--;
                }
                else if (_vm.CopyOnWrite && a != copyNow)
                {
                    child.Install(childSlot, a, Share(slot, a, pte));
                }
                else if (!child.InstallCopy(childSlot, a, pte))
                {
                    child.Unmap(from, end, requirePresent: false);
                    _vm.Reservations.Unreserve(promised);
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Fork's sharing of one page: the entry both tables get; a writable page becomes copy-on-write here too.</summary>
    private ulong Share(ulong slot, ulong va, ulong pte)
    {
        if ((pte & Pte.W) != 0)
        {
            pte = (pte & ~Pte.W) | SoftwarePte.Cow;
            _memory.Write64(slot, pte);
            NoteChanged(va);
        }
        _vm.References.Share(Pte.Address(pte));
        return pte;
    }

    /// <summary>--no-cow fork's copy of one page into this (the child's) table; false when no frame is left.</summary>
    private bool InstallCopy(ulong slot, ulong va, ulong pte)
    {
        ulong frame = _vm.NewFrame(zeroed: false);
        if (frame == 0)
            return false;
        _vm.Memory.Copy(frame, Pte.Address(pte), PageSize);
        ulong rights = pte & (Pte.R | Pte.W | Pte.X | Pte.U);
        if ((pte & SoftwarePte.Cow) != 0)
            rights |= Pte.W;
        Install(slot, va, Pte.Make(frame, rights | Pte.V));
        return true;
    }

    /// <summary>
    /// Frees user memory of [ImageStart, size) and the regions, and then every table frame,
    /// root included (no thread runs on it any more).
    /// </summary>
    public void Free(ulong size)
    {
        ulong start = Math.Min(RoundDown(ImageStart), RoundUp(size));
        using (Locks.Hold(start, RoundUp(size)))
            Unmap(start, RoundUp(size), requirePresent: !_vm.LazySbrk);
        foreach (Region r in Regions.All)
        {
            using (Locks.Hold(r.Start, r.End))
                Unmap(r.Start, r.End, requirePresent: true);
        }
        Regions.Clear();
        FreeTables(Root, 2);
        // Its locks go with it (a fork and exit make a table each): their figures stay in the classes' sums.
        Locks.Retire();
        _rootLock.Retire();
        _changesLock.Retire();
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
        _vm.Frames.Free(table);
    }

    public static ulong RoundUp(ulong a) => (a + PageSize - 1) & ~(PageSize - 1);

    public static ulong RoundDown(ulong a) => a & ~(PageSize - 1);

    private static ulong Index(ulong va, int level) => (va >> (12 + 9 * level)) & 0x1FF;
}
