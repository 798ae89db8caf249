using Osprey.Machine.Memory;

namespace Osprey.Emulation;

/// <summary>
/// Builds an Sv39 address space in guest memory for <c>osprey emulate</c>: frames come from a
/// bump allocator that never frees (the emulated program lives for one run), page tables and
/// pages alike. The kernel has real allocators and page-table code of its own; this is only
/// the harness's loader.
/// </summary>
public sealed class AddressSpaceBuilder
{
    /// <summary>One past the highest user virtual address: bit 38 set would make the address non-canonical-high.</summary>
    public const ulong MaxVirtualAddress = 1UL << 38;

    private readonly PhysicalMemory _memory;
    private ulong _nextFrame;

    public AddressSpaceBuilder(PhysicalMemory memory)
    {
        _memory = memory;
        _nextFrame = PhysicalMemory.Base;
        RootTable = AllocateFrame();
    }

    public ulong RootTable { get; }

    public ulong Satp => Machine.Memory.Satp.Sv39(RootTable);

    public ulong FramesUsed => (_nextFrame - PhysicalMemory.Base) / PhysicalMemory.PageSize;

    /// <summary>Maps the page containing <paramref name="va"/> with at least <paramref name="flags"/> (R/W/X), returning its frame.</summary>
    public ulong MapPage(ulong va, ulong flags)
    {
        if (va >= MaxVirtualAddress)
            throw new InvalidOperationException($"virtual address 0x{va:x} is above the user address space");
        ulong table = RootTable;
        for (int level = 2; level > 0; level--)
        {
            ulong pteAddress = table + ((va >> (12 + 9 * level)) & 0x1FF) * 8;
            ulong pte = _memory.Read64(pteAddress);
            if ((pte & Pte.V) == 0)
            {
                ulong next = AllocateFrame();
                pte = Pte.Make(next, Pte.V);
                _memory.Write64(pteAddress, pte);
            }
            table = Pte.Address(pte);
        }
        ulong leafAddress = table + ((va >> 12) & 0x1FF) * 8;
        ulong leaf = _memory.Read64(leafAddress);
        if ((leaf & Pte.V) == 0)
            leaf = Pte.Make(AllocateFrame(), Pte.V | Pte.U);
        // Two segments may share a page (text and data at a page boundary): it gets both's rights.
        leaf |= flags;
        _memory.Write64(leafAddress, leaf);
        return Pte.Address(leaf);
    }

    /// <summary>Copies <paramref name="data"/> to <paramref name="va"/>, mapping pages as needed.</summary>
    public void Write(ulong va, ReadOnlySpan<byte> data, ulong flags)
    {
        while (!data.IsEmpty)
        {
            int offset = (int)(va & 0xFFF);
            int chunk = Math.Min(data.Length, PhysicalMemory.PageSize - offset);
            ulong frame = MapPage(va, flags);
            _memory.Write(frame + (ulong)offset, data[..chunk]);
            data = data[chunk..];
            va += (ulong)chunk;
        }
    }

    /// <summary>Maps [va, va+length) with zeroed frames where not yet mapped.</summary>
    public void MapRange(ulong va, ulong length, ulong flags)
    {
        if (length == 0)
            return;
        for (ulong page = va & ~0xFFFUL; page < va + length; page += PhysicalMemory.PageSize)
            MapPage(page, flags);
    }

    private ulong AllocateFrame()
    {
        if (_nextFrame + PhysicalMemory.PageSize > _memory.End)
            throw new InvalidOperationException($"out of guest memory ({_memory.Size >> 20} MiB); try --memory");
        ulong frame = _nextFrame;
        _nextFrame += PhysicalMemory.PageSize;
        _memory.Zero(frame, PhysicalMemory.PageSize);
        return frame;
    }
}
