using Osprey.Machine.Cpu;

namespace Osprey.Machine.Jit;

/// <summary>One guest instruction of a <see cref="Region"/>, with its place in the region's basic blocks.</summary>
internal struct RegionInst
{
    public int Offset;
    public DecodedInst Inst;

    /// <summary>The instruction's bits (the low 16 for a compressed one), for the dump.</summary>
    public uint Bits;

    public InstKind Kind;

    /// <summary>True for the first instruction of a basic block: the budget is charged there for the whole block.</summary>
    public bool Leader;

    /// <summary>True when a jump from at or after this instruction comes back to it: interrupts are checked there.</summary>
    public bool LoopHead;

    /// <summary>
    /// At a check point (the entry and loop heads; 0 elsewhere): the most instructions any path
    /// from here retires before it reaches another check point or leaves the region.
    /// </summary>
    public int Reach;

    /// <summary>Instructions in this instruction's basic block, and this one's place in it (0 at the leader).</summary>
    public int BlockLength;
    public int IndexInBlock;

    /// <summary>Instructions of the block still to retire when this one starts, itself included.</summary>
    public readonly int Remaining => BlockLength - IndexInBlock;

    public readonly int Next => Offset + Inst.Length;
}
