namespace Osprey.Machine.Jit;

/// <summary>
/// The guest code of one translation: the instructions of one page reachable from the entry
/// by fall-through and direct jumps (up to a size limit), in address order, split into basic
/// blocks. Jumps that leave it are exits; those to another offset on the same page get a
/// chain slot each.
/// </summary>
internal sealed class Region
{
    public required int EntryOffset { get; init; }

    /// <summary>By offset.</summary>
    public required RegionInst[] Instructions { get; init; }

    /// <summary>Index into <see cref="Instructions"/> + 1 by offset / 2; 0 where no instruction starts.</summary>
    public required short[] IndexByOffset { get; init; }

    /// <summary>Registers (bit n for xn, x0 never) any instruction reads or writes, and those written.</summary>
    public required uint Used { get; init; }
    public required uint Written { get; init; }

    /// <summary>The page offsets of exits to the same page, in chain-slot order.</summary>
    public required int[] ChainTargets { get; init; }

    public int IndexOf(int offset) =>
        (uint)offset < (uint)(IndexByOffset.Length * 2) ? IndexByOffset[offset >> 1] - 1 : -1;

    public bool Contains(int offset) => IndexOf(offset) >= 0;

    public int ChainSlot(int offset) => Array.IndexOf(ChainTargets, offset);
}
