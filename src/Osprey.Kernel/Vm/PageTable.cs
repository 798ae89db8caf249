using Osprey.Kernel.Mem;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// An Sv39 page table in guest memory, walked and edited in software (xv6's vm.c). The
/// tables' frames come from the frame allocator. Only user mappings live here: the kernel
/// is host code, so there is no trampoline or kernel half.
///
/// Not locked: a page table belongs to one process, and only that process's thread (or its
/// parent in fork, or the reaper after it is dead) touches it.
/// </summary>
public sealed class PageTable
{
    /// <summary>One past the highest user address: the top of Sv39's lower half, as xv6's MAXVA.</summary>
    public const ulong MaxVirtualAddress = 1UL << 38;

    public const ulong PageSize = PhysicalMemory.PageSize;

    private readonly PhysicalMemory _memory;
    private readonly FrameAllocator _frames;

    private PageTable(PhysicalMemory memory, FrameAllocator frames, ulong root)
    {
        _memory = memory;
        _frames = frames;
        Root = root;
    }

    /// <summary>The root table's frame; satp points here.</summary>
    public ulong Root { get; }

    /// <summary>
    /// Bumped once per page whose mapping is removed or narrowed, so that a CPU whose TLB may
    /// hold this table's old entries knows to flush before running it again.
    /// </summary>
    public long Generation { get; private set; }

    /// <summary>How many of the latest changed pages are remembered for targeted flushes.</summary>
    public const int RememberedChanges = 16;

    // The page changed at generation g is at [g % RememberedChanges], for the latest ones.
    private readonly ulong[] _changedPages = new ulong[RememberedChanges];

    /// <summary>
    /// The page whose change made generation <paramref name="generation"/>, if it is among the
    /// latest <see cref="RememberedChanges"/>: a CPU that has seen every generation before it
    /// flushes just those pages (what a targeted sfence.vma does) instead of its whole TLB.
    /// </summary>
    public bool TryChangedPage(long generation, out ulong page)
    {
        page = _changedPages[generation % RememberedChanges];
        return generation > Generation - RememberedChanges && generation <= Generation;
    }

    private void NoteChanged(ulong va)
    {
        Generation++;
        _changedPages[Generation % RememberedChanges] = va;
    }

    public ulong Satp => Machine.Memory.Satp.Sv39(Root);

    /// <summary>An empty page table, or null when memory is exhausted.</summary>
    public static PageTable? Create(PhysicalMemory memory, FrameAllocator frames)
    {
        ulong root = frames.AllocateZeroed();
        return root == 0 ? null : new PageTable(memory, frames, root);
    }

    /// <summary>
    /// The physical address of the leaf PTE for <paramref name="va"/>, creating the tables on
    /// the way if <paramref name="create"/>; 0 if absent or memory ran out.
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
            ulong next = _frames.AllocateZeroed();
            if (next == 0)
                return 0;
            _memory.Write64(slot, Pte.Make(next, Pte.V));
            table = next;
        }
        return table + Index(va, 0) * 8;
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
        for (ulong i = 0; i < pages; i++)
        {
            ulong a = va + i * PageSize;
            ulong slot = Walk(a, create: false);
            ulong pte = slot == 0 ? 0 : _memory.Read64(slot);
            if ((pte & Pte.V) == 0)
                throw Panic.Now($"uvmunmap: 0x{a:x} not mapped");
            if (freeFrames)
                _frames.Free(Pte.Address(pte));
            _memory.Write64(slot, 0);
            NoteChanged(a);
        }
    }

    /// <summary>Clears the U bit of one page (xv6's uvmclear: the stack guard page).</summary>
    public void ClearUser(ulong va)
    {
        ulong slot = Walk(va, create: false);
        if (slot == 0)
            throw Panic.Now($"uvmclear: 0x{va:x} not mapped");
        _memory.Write64(slot, _memory.Read64(slot) & ~Pte.U);
        NoteChanged(va);
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
        for (ulong a = RoundUp(oldSize); a < newSize; a += PageSize)
        {
            ulong frame = _frames.AllocateZeroed();
            if (frame == 0 || !Map(a, PageSize, frame, Pte.R | Pte.U | rights))
            {
                if (frame != 0)
                    _frames.Free(frame);
                Shrink(a, oldSize);
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
        ulong from = RoundUp(newSize), to = RoundUp(oldSize);
        if (from < to)
            Unmap(from, (to - from) / PageSize, freeFrames: true);
        return newSize;
    }

    /// <summary>Fork's copy: every page of [0, size) copied into <paramref name="child"/>. False (child partly filled) if memory ran out.</summary>
    public bool CopyTo(PageTable child, ulong size)
    {
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

    /// <summary>Frees user memory of [0, size) and then every table frame, root included.</summary>
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
