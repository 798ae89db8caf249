namespace Osprey.Machine.Jit;

/// <summary>
/// Which guest registers a translation must store back where, and which it must load on entry.
///
/// Translated code keeps the integer registers a region uses in IL locals and writes a local
/// back to the register file only where something outside the method could look at it: an
/// exit (to the dispatcher or another translation) and a call into the interpreter (atomics,
/// F/D operations, helpers), which read and write the register file. What must be written
/// back there is what may have changed since entry or since the last write-back: the
/// <em>dirty</em> set, a forward may-analysis over the region's control flow (a call writes
/// back everything dirty before it, so nothing is dirty after it).
///
/// On entry only the registers that may be read before they are written are loaded: a
/// backward liveness analysis in which a write-back is a read of what it writes back (so a
/// register written on one path to an exit and not on another is loaded, and the exit never
/// writes back a local that holds nothing).
/// </summary>
internal sealed class RegisterFlow
{
    /// <summary>Dirty registers (bit n for xn) just before and just after each instruction of the region.</summary>
    public uint[] DirtyBefore { get; }
    public uint[] DirtyAfter { get; }

    /// <summary>The registers to load on entry.</summary>
    public uint LoadOnEntry { get; }

    private RegisterFlow(uint[] before, uint[] after, uint entry)
    {
        DirtyBefore = before;
        DirtyAfter = after;
        LoadOnEntry = entry;
    }

    /// <summary>True for the kinds that call into the interpreter, which reads and writes the register file.</summary>
    public static bool Calls(InstKind kind) => kind is InstKind.Atomic or InstKind.Float or InstKind.Helper;

    public static RegisterFlow Of(Region region)
    {
        RegionInst[] insts = region.Instructions;
        int n = insts.Length;
        var successors = new List<int>[n];
        var predecessors = new List<int>[n];
        for (int i = 0; i < n; i++)
            predecessors[i] = new List<int>();
        for (int i = 0; i < n; i++)
        {
            successors[i] = new List<int>();
            foreach (int offset in InRegionSuccessors(insts[i]))
            {
                int j = region.IndexOf(offset);
                if (j >= 0 && !successors[i].Contains(j))
                {
                    successors[i].Add(j);
                    predecessors[j].Add(i);
                }
            }
        }

        // Forward: dirty after = (dirty before + what it writes), or nothing after a call.
        var before = new uint[n];
        var after = new uint[n];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 0; i < n; i++)
            {
                uint inSet = 0;
                foreach (int p in predecessors[i])
                    inSet |= after[p];
                uint outSet = Calls(insts[i].Kind) ? 0 : inSet | RegionBuilder.Writes(insts[i]);
                if (inSet != before[i] || outSet != after[i])
                {
                    before[i] = inSet;
                    after[i] = outSet;
                    changed = true;
                }
            }
        }

        // Backward liveness. What an instruction reads from its locals, plus the write-backs at
        // it: before a call (everything dirty) and at its exits (a fault or stop before it
        // writes back the dirty-before set; a way out of the region after it, dirty-after).
        var liveIn = new uint[n];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = n - 1; i >= 0; i--)
            {
                RegionInst ri = insts[i];
                uint liveOut = 0;
                foreach (int s in successors[i])
                    liveOut |= liveIn[s];
                if (LeavesAfter(region, ri))
                    liveOut |= after[i];
                uint kill = ri.Kind == InstKind.Helper ? region.Used : RegionBuilder.Writes(ri);
                uint live = (liveOut & ~kill) | ReadsFromLocals(ri) | before[i];
                if (live != liveIn[i])
                {
                    liveIn[i] = live;
                    changed = true;
                }
            }
        }
        return new RegisterFlow(before, after, liveIn[region.IndexOf(region.EntryOffset)]);
    }

    /// <summary>
    /// The registers <paramref name="ri"/> reads from its locals: none for a call (the
    /// interpreter reads the register file, written back just before), else what it reads.
    /// </summary>
    private static uint ReadsFromLocals(in RegionInst ri) => Calls(ri.Kind) ? 0 : RegionBuilder.Reads(ri);

    /// <summary>Where control may go from <paramref name="ri"/> on the page, as far as the region's own flow goes.</summary>
    private static IEnumerable<int> InRegionSuccessors(RegionInst ri)
    {
        int target = ri.Offset + ri.Inst.Imm;
        switch (ri.Kind)
        {
            case InstKind.Branch:
                yield return ri.Next;
                yield return target;
                break;
            case InstKind.Jump:
                yield return target;
                break;
            case var kind when RegionBuilder.FallsThrough(kind):
                yield return ri.Next;
                break;
        }
    }

    /// <summary>True if some way on from <paramref name="ri"/> leaves the region (an indirect jump, or a target it does not hold).</summary>
    private static bool LeavesAfter(Region region, in RegionInst ri)
    {
        if (ri.Kind == InstKind.Indirect)
            return true;
        foreach (int offset in InRegionSuccessors(ri))
        {
            if (!region.Contains(offset))
                return true;
        }
        return false;
    }
}
