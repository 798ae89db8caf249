using System.Runtime.CompilerServices;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Jit;

/// <summary>
/// Finds the region a translation covers: from the entry, follows fall-through, conditional
/// branches and jal within the page, so a loop and the code around it become one method (a
/// backward branch inside it is a host branch), until <see cref="MaxInstructions"/>.
/// Regions stay within one page: the page is the unit of translation, lookup and invalidation.
/// </summary>
internal static unsafe class RegionBuilder
{
    /// <summary>
    /// Large enough for a loop nest and its surroundings, small enough that the .NET JIT
    /// compiles the method with full optimization (it gives up on very large methods) and quickly.
    /// </summary>
    public const int MaxInstructions = 192;

    /// <summary>How many instructions that have not run yet a region grows over, past those that have.</summary>
    public const int NotRunInstructions = 64;

    private const int PageSize = PhysicalMemory.PageSize;

    /// <summary>
    /// The region from <paramref name="entry"/> in the frame at <paramref name="frame"/>; null
    /// when there is nothing to translate. With <paramref name="executed"/> (a bit per halfword
    /// where an instruction has run) it grows over code that has run, then on from there over
    /// at most <see cref="NotRunInstructions"/> that have not. Without (when
    /// forced, before anything has run) it is what QEMU calls a translation block: straight-line
    /// code and jal up to the first conditional branch, whose backward target (a loop back to
    /// the entry) it keeps and whose other ways out are exits; the code past a branch gets a
    /// region of its own when it runs, so each instruction is compiled about once.
    /// <paramref name="translated"/> says which other offsets already start a translation: the
    /// region stops there and chains to it rather than compile that code again (a program whose
    /// hot code fits one page otherwise has each of its dozens of entries grow over most of it:
    /// coremix compiled 8,681 instructions for 642 distinct ones).
    /// </summary>
    public static Region? Build(byte* frame, int entry, int maxInstructions = MaxInstructions, ulong[]? executed = null,
        Func<int, bool>? translated = null)
    {
        bool Ran(int offset) => (executed![offset >> 7] & (1UL << (offset >> 1))) != 0;
        var found = new SortedDictionary<int, RegionInst>();
        var pending = new Stack<int>();
        pending.Push(entry);
        Grow(frame, entry, found, pending, maxInstructions, translated,
            executed != null ? (target, _) => Ran(target) : (target, from) => target <= from,
            executed != null ? ri => Ran(ri.Next) : ri => ri.Kind != InstKind.Branch,
            executed != null ? Ran : null);
        if (executed != null)
        {
            // Then on from its exits over code that has not run yet, a little: a path that runs
            // later (the other key of a sort) then stays inside this method instead of leaving
            // through a chain to a translation of its own, which pays a method's entry and exit
            // (and a load and store of every register it uses) each time it is taken.
            foreach (RegionInst ri in found.Values.ToArray())
            {
                foreach (int exit in ExitTargets(ri))
                {
                    if (InPage(exit) && !found.ContainsKey(exit))
                        pending.Push(exit);
                }
            }
            Grow(frame, entry, found, pending, Math.Min(maxInstructions, found.Count + NotRunInstructions), translated,
                (_, _) => true, _ => true, null);
        }
        if (found[entry].Kind == InstKind.StepExit)
            return null;

        RegionInst[] insts = [.. found.Values];
        var index = new short[PageSize / 2];
        for (int i = 0; i < insts.Length; i++)
            index[insts[i].Offset >> 1] = (short)(i + 1);
        bool Has(int offset) => InPage(offset) && index[offset >> 1] != 0;

        MarkLeaders(insts, entry, Has, index);
        var chains = new List<int>();
        uint used = 0, written = 0;
        foreach (ref RegionInst ri in insts.AsSpan())
        {
            foreach (int exit in ExitTargets(ri))
            {
                if (InPage(exit) && !Has(exit) && !chains.Contains(exit))
                    chains.Add(exit);
            }
            used |= Reads(ri) | Writes(ri);
            written |= Writes(ri);
        }
        return new Region
        {
            EntryOffset = entry,
            Instructions = insts,
            IndexByOffset = index,
            Used = used,
            Written = written,
            ChainTargets = [.. chains],
        };
    }

    /// <summary>
    /// Adds to <paramref name="found"/> what is reachable from the offsets in
    /// <paramref name="pending"/>, up to <paramref name="limit"/> instructions in all, following
    /// a branch target and a fall-through where <paramref name="followBranch"/> and
    /// <paramref name="followThrough"/> say, and a jal where <paramref name="ranAt"/> does (or
    /// always, without it). It stops at another translation's entry (<paramref name="translated"/>).
    /// </summary>
    private static void Grow(byte* frame, int entry, SortedDictionary<int, RegionInst> found, Stack<int> pending, int limit,
        Func<int, bool>? translated, Func<int, int, bool> followBranch, Func<RegionInst, bool> followThrough, Func<int, bool>? ranAt)
    {
        while (pending.Count > 0 && found.Count < limit)
        {
            int off = pending.Pop();
            while (off < PageSize && !found.ContainsKey(off) && found.Count < limit
                && (off == entry || translated == null || !translated(off)))
            {
                RegionInst ri = DecodeAt(frame, off);
                found.Add(off, ri);
                int target = off + ri.Inst.Imm;
                if (ri.Kind == InstKind.Branch)
                {
                    if (InPage(target) && followBranch(target, off))
                        pending.Push(target);
                }
                else if (ri.Kind == InstKind.Jump)
                {
                    if (!InPage(target) || (ranAt != null && !ranAt(target)))
                        break;
                    off = target;
                    continue;
                }
                else if (ri.Kind is InstKind.Indirect or InstKind.Trap or InstKind.StepExit)
                {
                    break;
                }
                if (ri.Next < PageSize && !followThrough(ri))
                    break;
                off = ri.Next;
            }
        }
        pending.Clear();
    }

    /// <summary>
    /// Marks leaders (the entry, jump targets, and what follows a conditional branch), loop
    /// heads (targets of a jump from at or after them), and each instruction's basic block.
    /// Every cycle in the region's control flow goes through a loop head, because only a jump
    /// can go to a lower address.
    /// </summary>
    private static void MarkLeaders(RegionInst[] insts, int entry, Func<int, bool> has, short[] index)
    {
        ref RegionInst At(int offset) => ref insts[index[offset >> 1] - 1];
        At(entry).Leader = true;
        foreach (RegionInst ri in insts)
        {
            int target = ri.Offset + ri.Inst.Imm;
            if (ri.Kind is InstKind.Branch or InstKind.Jump && has(target))
            {
                At(target).Leader = true;
                if (target <= ri.Offset)
                    At(target).LoopHead = true;
            }
            if (ri.Kind == InstKind.Branch && has(ri.Next))
                At(ri.Next).Leader = true;
        }
        for (int i = 0; i < insts.Length; i++)
        {
            if (!insts[i].Leader)
                continue;
            var members = new List<int>();
            int offset = insts[i].Offset;
            while (true)
            {
                members.Add(offset);
                RegionInst ri = At(offset);
                if (!FallsThrough(ri.Kind) || !has(ri.Next) || At(ri.Next).Leader)
                    break;
                offset = ri.Next;
            }
            for (int k = 0; k < members.Count; k++)
            {
                ref RegionInst member = ref At(members[k]);
                member.BlockLength = members.Count;
                member.IndexInBlock = k;
            }
        }
        foreach (RegionInst ri in insts)
        {
            if (ri.BlockLength == 0)
                throw new InvalidOperationException($"jit: instruction at offset 0x{ri.Offset:x} is in no basic block");
        }
        MarkReach(insts, entry, has, index);
    }

    /// <summary>
    /// The longest path from each check point (the entry, loop heads) to the next: over the
    /// region with its edges into check points removed, which leaves only forward edges, so one
    /// pass from the highest address down finds every longest path.
    /// </summary>
    private static void MarkReach(RegionInst[] insts, int entry, Func<int, bool> has, short[] index)
    {
        var longest = new int[insts.Length];
        bool Check(int offset) => offset == entry || insts[index[offset >> 1] - 1].LoopHead;
        int Through(int offset) => has(offset) && !Check(offset) ? longest[index[offset >> 1] - 1] : 0;
        for (int i = insts.Length - 1; i >= 0; i--)
        {
            RegionInst ri = insts[i];
            int target = ri.Offset + ri.Inst.Imm;
            int after = ri.Kind switch
            {
                _ when FallsThrough(ri.Kind) => Through(ri.Next),
                InstKind.Branch => Math.Max(Through(ri.Next), Through(target)),
                InstKind.Jump => Through(target),
                _ => 0,
            };
            longest[i] = 1 + after;
        }
        for (int i = 0; i < insts.Length; i++)
        {
            if (Check(insts[i].Offset))
                insts[i].Reach = longest[i];
        }
    }

    private static RegionInst DecodeAt(byte* frame, int off)
    {
        ushort low = *(ushort*)(frame + off);
        DecodedInst d;
        uint bits;
        if (Decoder.IsCompressed(low))
        {
            bits = low;
            d = Decoder.Decode(low);
        }
        else if (off == PageSize - 2)
        {
            bits = low;
            d = new DecodedInst { Op = Op.CrossPage, Length = 4 };
        }
        else
        {
            bits = Unsafe.ReadUnaligned<uint>(frame + off);
            d = Decoder.Decode(bits);
        }
        return new RegionInst { Offset = off, Inst = d, Bits = bits, Kind = KindOf(d) };
    }

    /// <summary>How <paramref name="d"/> is translated: by its operation, and for an F/D one by whether it touches an integer register.</summary>
    public static InstKind KindOf(in DecodedInst d)
    {
        InstKind kind = KindOf(d.Op);
        return kind == InstKind.Float && OnFloatRegistersOnly(d) ? InstKind.FloatRegistersOnly : kind;
    }

    /// <summary>
    /// Whether an F/D operation reads and writes f registers only: its rd and rs1 are f
    /// registers, and so is rs2 unless it has none (a unary operation decodes rs2 as 0). The FP
    /// CSR accesses read and write x registers; conversions to and from integers, moves,
    /// compares and fclass have an x register on one side.
    /// </summary>
    private static bool OnFloatRegistersOnly(in DecodedInst d) =>
        d.Op != Op.CsrFloat && d.Rd >= Decoder.FloatBase && d.Rs1 >= Decoder.FloatBase
        && (d.Rs2 >= Decoder.FloatBase || d.Rs2 == 0);

    /// <summary>
    /// How <paramref name="op"/> is translated. Operations are named one by one, never by a
    /// range of the enum, so that an operation added later falls to <see cref="InstKind.Helper"/>
    /// and runs correctly through the interpreter until the translator learns it.
    /// </summary>
    public static InstKind KindOf(Op op) => op switch
    {
        Op.Beq or Op.Bne or Op.Blt or Op.Bge or Op.Bltu or Op.Bgeu => InstKind.Branch,
        Op.Jal => InstKind.Jump,
        Op.Jalr => InstKind.Indirect,
        Op.Ecall or Op.Ebreak or Op.Illegal => InstKind.Trap,
        Op.FenceI or Op.CrossPage or Op.NotDecoded => InstKind.StepExit,
        Op.LrW or Op.ScW or Op.AmoSwapW or Op.AmoAddW or Op.AmoXorW or Op.AmoAndW or Op.AmoOrW
            or Op.AmoMinW or Op.AmoMaxW or Op.AmoMinuW or Op.AmoMaxuW
            or Op.LrD or Op.ScD or Op.AmoSwapD or Op.AmoAddD or Op.AmoXorD or Op.AmoAndD or Op.AmoOrD
            or Op.AmoMinD or Op.AmoMaxD or Op.AmoMinuD or Op.AmoMaxuD => InstKind.Atomic,
        _ when IsLoad(op) || IsStore(op) || IsRegisterImmediate(op) || IsRegisterRegister(op) => InstKind.Plain,
        _ when IsFloatOperation(op) => InstKind.Float,
        Op.Lui or Op.Auipc or Op.Fence => InstKind.Plain,
        _ => InstKind.Helper,
    };

    /// <summary>Instructions that go on to the next one unless they trap.</summary>
    public static bool FallsThrough(InstKind kind) => kind is InstKind.Plain or InstKind.Atomic or InstKind.Float or InstKind.FloatRegistersOnly or InstKind.Helper;

    /// <summary>The loads, FP ones included (rd is then an f register, which has no local: see <see cref="Bit"/>).</summary>
    public static bool IsLoad(Op op) => op is Op.Lb or Op.Lh or Op.Lw or Op.Ld or Op.Lbu or Op.Lhu or Op.Lwu or Op.Flw or Op.Fld;

    /// <summary>The stores, FP ones included (rs2 is then an f register).</summary>
    public static bool IsStore(Op op) => op is Op.Sb or Op.Sh or Op.Sw or Op.Sd or Op.Fsw or Op.Fsd;

    /// <summary>
    /// The F and D operations the interpreter runs in <c>Hart.ExecuteFloat</c> (those with a
    /// rounding mode are a range the decoder defines; the rest are named), and the FP CSRs.
    /// </summary>
    public static bool IsFloatOperation(Op op) => Decoder.HasRoundingMode(op) || op is Op.CsrFloat
        or Op.FsgnjS or Op.FsgnjnS or Op.FsgnjxS or Op.FminS or Op.FmaxS or Op.FeqS or Op.FltS or Op.FleS
        or Op.FclassS or Op.FmvXW or Op.FmvWX
        or Op.FsgnjD or Op.FsgnjnD or Op.FsgnjxD or Op.FminD or Op.FmaxD or Op.FeqD or Op.FltD or Op.FleD
        or Op.FclassD or Op.FmvXD or Op.FmvDX;

    /// <summary>Operations of rd and rs1 with an immediate.</summary>
    public static bool IsRegisterImmediate(Op op) => op is Op.Addi or Op.Slti or Op.Sltiu or Op.Xori or Op.Ori or Op.Andi
        or Op.Slli or Op.Srli or Op.Srai or Op.Addiw or Op.Slliw or Op.Srliw or Op.Sraiw;

    /// <summary>Operations of rd, rs1 and rs2 (base and M).</summary>
    public static bool IsRegisterRegister(Op op) => op is Op.Add or Op.Sub or Op.Sll or Op.Slt or Op.Sltu or Op.Xor
        or Op.Srl or Op.Sra or Op.Or or Op.And or Op.Addw or Op.Subw or Op.Sllw or Op.Srlw or Op.Sraw
        or Op.Mul or Op.Mulh or Op.Mulhsu or Op.Mulhu or Op.Div or Op.Divu or Op.Rem or Op.Remu
        or Op.Mulw or Op.Divw or Op.Divuw or Op.Remw or Op.Remuw;

    /// <summary>Where control can go from <paramref name="ri"/> other than the next translated instruction.</summary>
    private static IEnumerable<int> ExitTargets(RegionInst ri)
    {
        int target = ri.Offset + ri.Inst.Imm;
        switch (ri.Kind)
        {
            case InstKind.Branch:
                yield return target;
                yield return ri.Next;
                break;
            case InstKind.Jump:
                yield return target;
                break;
            case var kind when FallsThrough(kind):
                yield return ri.Next;
                break;
        }
    }

    /// <summary>The integer registers <paramref name="ri"/> reads as a bit mask (x0 excluded; none for helper and FP operations, which read the register file).</summary>
    public static uint Reads(in RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        uint rs1 = Bit(d.Rs1), rs2 = Bit(d.Rs2);
        if (d.Op == Op.Jalr || IsLoad(d.Op) || IsRegisterImmediate(d.Op))
            return rs1;
        if (ri.Kind is InstKind.Branch or InstKind.Atomic || IsStore(d.Op) || IsRegisterRegister(d.Op))
            return rs1 | rs2;
        return 0;
    }

    /// <summary>The integer registers <paramref name="ri"/> writes as a bit mask (x0, the sink and f registers excluded).</summary>
    public static uint Writes(in RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        bool writesRd = ri.Kind is InstKind.Jump or InstKind.Indirect or InstKind.Atomic or InstKind.Float
            || d.Op is Op.Lui or Op.Auipc || IsLoad(d.Op) || IsRegisterImmediate(d.Op) || IsRegisterRegister(d.Op);
        return writesRd ? Bit(d.Rd) : 0;
    }

    private static uint Bit(byte register) => register is > 0 and < 32 ? 1u << register : 0;

    private static bool InPage(int offset) => (uint)offset < PageSize;
}
