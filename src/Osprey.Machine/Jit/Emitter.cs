using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Jit;

/// <summary>
/// Turns a <see cref="Region"/> into the IL of one method,
/// <c>int Block(Translation self, Hart hart, JitState* s, ulong pc, long left)</c>.
///
/// Guest registers the region uses live in IL locals (so the .NET JIT keeps them in host
/// registers): those that may be read before they are written are loaded on entry, and those
/// that may have changed are written back to the register file at every exit and before every
/// call into the interpreter (<see cref="RegisterFlow"/>). Branches inside the region are
/// IL branches. The budget is charged a basic block at a time at the block's first
/// instruction, after checking it covers the whole block; loop heads also check for a pending
/// interrupt. An exit that does not retire its instruction (a fault, a trap) gives back the
/// instructions of its block it did not reach, so the count is exact. Loads and stores inline
/// the TLB hit; anything else leaves for the interpreter. Rarely taken paths are emitted
/// after the main body.
/// </summary>
internal sealed unsafe partial class Emitter
{
    private static readonly FieldInfo ValidField = typeof(Translation).GetField(nameof(Translation.Valid))!;
    private static readonly FieldInfo ChainField = typeof(Translation).GetField(nameof(Translation.Chain))!;
    private static readonly FieldInfo CodeField = typeof(Translation).GetField(nameof(Translation.Code))!;
    private static readonly FieldInfo EntryPcField = typeof(JumpEntry).GetField(nameof(JumpEntry.Pc))!;
    private static readonly FieldInfo EntryTargetField = typeof(JumpEntry).GetField(nameof(JumpEntry.Target))!;
    private static readonly FieldInfo RegsField = typeof(JitState).GetField(nameof(JitState.Regs))!;
    private static readonly FieldInfo LoadTlbField = typeof(JitState).GetField(nameof(JitState.LoadTlb))!;
    private static readonly FieldInfo StoreTlbField = typeof(JitState).GetField(nameof(JitState.StoreTlb))!;
    private static readonly FieldInfo PcField = typeof(JitState).GetField(nameof(JitState.Pc))!;
    private static readonly FieldInfo LeftField = typeof(JitState).GetField(nameof(JitState.Left))!;
    private static readonly FieldInfo TrapValueField = typeof(JitState).GetField(nameof(JitState.TrapValue))!;
    private static readonly FieldInfo ChainIndexField = typeof(JitState).GetField(nameof(JitState.ChainIndex))!;
    private static readonly MethodInfo InvokeMethod = typeof(BlockCode).GetMethod(nameof(BlockCode.Invoke))!;
    private static readonly MethodInfo BarrierMethod = typeof(Interlocked).GetMethod(nameof(Interlocked.MemoryBarrier))!;

    /// <summary>The parameters of every block method, the translation first (the delegate is closed over it).</summary>
    public static readonly Type[] Parameters = [typeof(Translation), typeof(Hart), typeof(JitState*), typeof(ulong), typeof(long)];

    private const short ArgSelf = 0, ArgHart = 1, ArgState = 2, ArgPc = 3, ArgLeft = 4;

    private readonly IlWriter _il;
    private readonly Region _region;
    private readonly RegisterFlow _flow;
    private readonly ulong _dumpBase;

    // The index of the instruction being emitted: an exit stub made for it writes back what
    // is dirty before it (an exit that does not retire it) or after it (a way out past it).
    private int _at;

    private readonly LocalBuilder?[] _x = new LocalBuilder?[32];
    private readonly LocalBuilder _left, _vbase, _regs, _exitOffset, _exitSite, _target, _chainIndex;
    private LocalBuilder? _loadTlb, _storeTlb, _floatValue;
    private readonly Label[] _labels;

    // Out-of-line code: slow paths and exit stubs, emitted after the body in the order asked for.
    private readonly List<Action> _cold = new();
    private readonly Dictionary<(int Offset, uint WriteBack), Label> _exitStubs = new();
    private Label? _exitTail, _chainTail, _indirectTail;

    private Emitter(IlWriter il, Region region, ulong dumpBase)
    {
        _il = il;
        _region = region;
        _flow = RegisterFlow.Of(region);
        _dumpBase = dumpBase;
        _left = il.Local(typeof(long), "left");
        _vbase = il.Local(typeof(long), "vbase");
        _regs = il.Local(typeof(nint), "regs");
        _exitOffset = il.Local(typeof(int), "exitOffset");
        _exitSite = il.Local(typeof(int), "exitSite");
        _target = il.Local(typeof(long), "target");
        _chainIndex = il.Local(typeof(int), "chainIndex");
        for (int r = 1; r < 32; r++)
        {
            if ((region.Used & (1u << r)) != 0)
                _x[r] = il.Local(typeof(long), $"x{r}");
        }
        _labels = new Label[region.Instructions.Length];
        for (int i = 0; i < _labels.Length; i++)
            _labels[i] = il.DefineLabel();
    }

    /// <summary>
    /// Writes the method for <paramref name="region"/>. <paramref name="dumpBase"/> is the
    /// virtual page the region was found at, used only to print pcs in the listing.
    /// </summary>
    public static void Emit(IlWriter il, Region region, ulong dumpBase) => new Emitter(il, region, dumpBase).EmitMethod();

    private void EmitMethod()
    {
        EmitPrologue();
        RegionInst[] insts = _region.Instructions;
        for (int i = 0; i < insts.Length; i++)
        {
            RegionInst ri = insts[i];
            _at = i;
            if (_il.Lists)
                _il.Section($"  {_dumpBase + (ulong)ri.Offset:x8}:  {Disasm.Disassembler.Disassemble(ri.Bits, _dumpBase + (ulong)ri.Offset)}");
            _il.Mark(_labels[i]);
            if (ri.Leader)
                EmitBlockEntry(ri);
            EmitInstruction(ri);
            if ((ri.Kind == InstKind.Branch || RegionBuilder.FallsThrough(ri.Kind))
                && !(i + 1 < insts.Length && insts[i + 1].Offset == ri.Next))
            {
                _il.Emit(OpCodes.Br, LabelFor(ri.Next));
            }
        }
        _il.Section("  out of line:");
        // A cold stub may ask for another (a slow path's fault exit), so this runs until none is left.
        for (int i = 0; i < _cold.Count; i++)
            _cold[i]();
    }

    /// <summary>Checks the translation is still valid and no interrupt is pending, then loads the registers.</summary>
    private void EmitPrologue()
    {
        _il.Section($"  entry at {_dumpBase + (ulong)_region.EntryOffset:x8}:");
        Label valid = _il.DefineLabel(), run = _il.DefineLabel();
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldfld, ValidField);
        _il.Emit(OpCodes.Brtrue, valid);
        ReturnFromEntry(JitExit.Invalid);
        _il.Mark(valid);
        LoadPending();
        _il.Emit(OpCodes.Brfalse, run);
        ReturnFromEntry(JitExit.Stop);
        _il.Mark(run);

        _il.Emit(OpCodes.Ldarg, ArgLeft);
        _il.Emit(OpCodes.Stloc, _left);
        _il.Emit(OpCodes.Ldarg, ArgPc);
        _il.Emit(OpCodes.Ldc_I8, (long)_region.EntryOffset);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _vbase);
        _il.Emit(OpCodes.Ldarg, ArgState);
        _il.Emit(OpCodes.Ldfld, RegsField);
        _il.Emit(OpCodes.Stloc, _regs);
        ReloadRegisters(_flow.LoadOnEntry);
        bool loads = false, stores = false;
        foreach (RegionInst ri in _region.Instructions)
        {
            loads |= RegionBuilder.IsLoad(ri.Inst.Op);
            stores |= RegionBuilder.IsStore(ri.Inst.Op);
        }
        if (loads)
            _loadTlb = LoadStateField(LoadTlbField, "loadTlb");
        if (stores)
            _storeTlb = LoadStateField(StoreTlbField, "storeTlb");
        _il.Emit(OpCodes.Br, _labels[_region.IndexOf(_region.EntryOffset)]);
    }

    private LocalBuilder LoadStateField(FieldInfo field, string name)
    {
        LocalBuilder local = _il.Local(typeof(nint), name);
        _il.Emit(OpCodes.Ldarg, ArgState);
        _il.Emit(OpCodes.Ldfld, field);
        _il.Emit(OpCodes.Stloc, local);
        return local;
    }

    /// <summary>An exit before any register is loaded: the pc and budget are the arguments, unchanged.</summary>
    private void ReturnFromEntry(JitExit exit)
    {
        _il.Emit(OpCodes.Ldarg, ArgState);
        _il.Emit(OpCodes.Ldarg, ArgPc);
        _il.Emit(OpCodes.Stfld, PcField);
        _il.Emit(OpCodes.Ldarg, ArgState);
        _il.Emit(OpCodes.Ldarg, ArgLeft);
        _il.Emit(OpCodes.Stfld, LeftField);
        _il.Emit(OpCodes.Ldc_I4, (int)exit);
        _il.Emit(OpCodes.Ret);
    }

    private void LoadPending()
    {
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, Hart.PendingInterruptsField);
    }

    /// <summary>
    /// At a basic block's first instruction: charge the whole block. At a check point (the
    /// entry and loop heads) first stop here if an interrupt is pending or the budget cannot
    /// cover the longest path to the next check point; then the charges in between cannot
    /// overdraw it, so they need no test of their own.
    /// </summary>
    private void EmitBlockEntry(RegionInst ri)
    {
        if (ri.Reach > 0)
        {
            Label stop = Exit(ri.Offset, 0, JitExit.Stop);
            if (ri.LoopHead)
            {
                LoadPending();
                _il.Emit(OpCodes.Brtrue, stop);
            }
            _il.Emit(OpCodes.Ldloc, _left);
            _il.Emit(OpCodes.Ldc_I8, (long)ri.Reach);
            _il.Emit(OpCodes.Blt, stop);
        }
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Ldc_I8, (long)ri.BlockLength);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _left);
    }

    // ---- registers ---------------------------------------------------------------------

    /// <summary>Pushes xn (0 for x0), or an f register (from the register file: f registers have no locals).</summary>
    private void Read(int r)
    {
        if (r == 0)
        {
            _il.Emit(OpCodes.Ldc_I8, 0L);
        }
        else if (r >= Decoder.FloatBase)
        {
            _il.Emit(OpCodes.Ldloc, _regs);
            _il.Emit(OpCodes.Ldfld, RegisterFile.Fields[r]);
        }
        else
            _il.Emit(OpCodes.Ldloc, _x[r] ?? throw new InvalidOperationException($"jit: x{r} read but not loaded"));
    }

    /// <summary>
    /// Pops into xn's local (written back to the register file where <see cref="RegisterFlow"/>
    /// says). A write to the sink (rd = x0) is dropped; an f register is written to the
    /// register file only.
    /// </summary>
    private void Write(int r)
    {
        if (r is 0 or Decoder.Sink)
        {
            _il.Emit(OpCodes.Pop);
            return;
        }
        if (r >= Decoder.FloatBase)
        {
            _floatValue ??= _il.Local(typeof(long), "fvalue");
            _il.Emit(OpCodes.Stloc, _floatValue);
            _il.Emit(OpCodes.Ldloc, _regs);
            _il.Emit(OpCodes.Ldloc, _floatValue);
            _il.Emit(OpCodes.Stfld, RegisterFile.Fields[r]);
            return;
        }
        _il.Emit(OpCodes.Stloc, _x[r] ?? throw new InvalidOperationException($"jit: x{r} written but not loaded"));
    }

    /// <summary>Stores the locals of the registers in <paramref name="mask"/> to the register file.</summary>
    private void WriteBack(uint mask)
    {
        for (int r = 1; r < 32; r++)
        {
            if ((mask & (1u << r)) == 0)
                continue;
            _il.Emit(OpCodes.Ldloc, _regs);
            _il.Emit(OpCodes.Ldloc, _x[r] ?? throw new InvalidOperationException($"jit: x{r} written back but has no local"));
            _il.Emit(OpCodes.Stfld, RegisterFile.Fields[r]);
        }
    }

    /// <summary>What must be written back before the instruction being emitted: at an exit that does not retire it, or a call.</summary>
    private uint DirtyBefore => _flow.DirtyBefore[_at];

    /// <summary>What must be written back on a way out of the region after the instruction being emitted.</summary>
    private uint DirtyAfter => _flow.DirtyAfter[_at];

    private void ReloadRegisters(uint mask)
    {
        for (int r = 1; r < 32; r++)
        {
            if ((mask & (1u << r)) == 0 || _x[r] == null)
                continue;
            _il.Emit(OpCodes.Ldloc, _regs);
            _il.Emit(OpCodes.Ldfld, RegisterFile.Fields[r]);
            _il.Emit(OpCodes.Stloc, _x[r]!);
        }
    }

    /// <summary>Pushes the virtual address of <paramref name="offset"/> on this page (which may be past either end of it).</summary>
    private void PcOf(int offset)
    {
        _il.Emit(OpCodes.Ldloc, _vbase);
        _il.Emit(OpCodes.Ldc_I8, (long)offset);
        _il.Emit(OpCodes.Add);
    }

    // ---- exits -------------------------------------------------------------------------

    /// <summary>
    /// Where control goes to reach page offset <paramref name="offset"/> after the instruction
    /// being emitted: the instruction if the region holds it, else a stub that writes back the
    /// registers dirty after this instruction and chains to another translation on this page,
    /// or (off the page) looks the target up in the jump cache. A stub is shared only by ways
    /// out with the same write-back: one that wrote back the union of several would store a
    /// register that is dirty on one way and, on another, a local never loaded (entry loads
    /// only what each way out needs), which left a register with garbage (matmul faulted).
    /// </summary>
    private Label LabelFor(int offset)
    {
        int index = _region.IndexOf(offset);
        if (index >= 0)
            return _labels[index];
        uint writeBack = DirtyAfter;
        if (_exitStubs.TryGetValue((offset, writeBack), out Label stub))
            return stub;
        stub = _il.DefineLabel();
        _exitStubs[(offset, writeBack)] = stub;
        int slot = _region.ChainSlot(offset);
        _cold.Add(() =>
        {
            _il.Mark(stub);
            WriteBack(writeBack);
            if (slot >= 0)
            {
                _il.Emit(OpCodes.Ldc_I4, offset);
                _il.Emit(OpCodes.Stloc, _exitOffset);
                _il.Emit(OpCodes.Ldc_I4, slot);
                _il.Emit(OpCodes.Stloc, _chainIndex);
                _il.Emit(OpCodes.Br, ChainTail());
            }
            else
            {
                PcOf(offset);
                _il.Emit(OpCodes.Stloc, _target);
                _il.Emit(OpCodes.Br, IndirectTail());
            }
        });
        return stub;
    }

    /// <summary>
    /// A stub that leaves with <paramref name="exit"/> at <paramref name="offset"/> (the
    /// instruction being emitted, which does not retire), writing back the registers dirty
    /// before it and giving back <paramref name="unretired"/> instructions of the current
    /// block's charge.
    /// </summary>
    private Label Exit(int offset, int unretired, JitExit exit, ulong? trapValue = null)
    {
        Label stub = _il.DefineLabel();
        uint writeBack = DirtyBefore;
        _cold.Add(() =>
        {
            _il.Mark(stub);
            WriteBack(writeBack);
            if (trapValue is ulong value)
            {
                _il.Emit(OpCodes.Ldarg, ArgState);
                _il.Emit(OpCodes.Ldc_I8, (long)value);
                _il.Emit(OpCodes.Stfld, TrapValueField);
            }
            _il.Emit(OpCodes.Ldc_I4, ExitSite(offset, unretired, exit));
            _il.Emit(OpCodes.Stloc, _exitSite);
            _il.Emit(OpCodes.Br, ExitTail());
        });
        return stub;
    }

    // An exit site in one int, so each stub is one store: the page offset (13 bits, as it may
    // be 4096), the instructions to give back (8 bits) and the exit code.
    private const int SiteOffsetBits = 13, SiteUnretiredBits = 8;

    private static int ExitSite(int offset, int unretired, JitExit exit)
    {
        if ((uint)offset > PhysicalMemory.PageSize || (uint)unretired >= 1u << SiteUnretiredBits)
            throw new InvalidOperationException($"jit: exit site offset 0x{offset:x}, {unretired} unretired does not fit");
        return offset | unretired << SiteOffsetBits | (int)exit << (SiteOffsetBits + SiteUnretiredBits);
    }

    /// <summary>The shared end of every exit to the dispatcher: give back the unretired count and store the exit record.</summary>
    private Label ExitTail()
    {
        if (_exitTail is Label existing)
            return existing;
        Label tail = _il.DefineLabel();
        _exitTail = tail;
        _cold.Add(() =>
        {
            _il.Section("  exit to the dispatcher:");
            _il.Mark(tail);
            _il.Emit(OpCodes.Ldloc, _left);
            _il.Emit(OpCodes.Ldloc, _exitSite);
            _il.Emit(OpCodes.Ldc_I4, SiteOffsetBits);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4, (1 << SiteUnretiredBits) - 1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Stloc, _left);
            StoreExitPc(() =>
            {
                _il.Emit(OpCodes.Ldloc, _vbase);
                _il.Emit(OpCodes.Ldloc, _exitSite);
                _il.Emit(OpCodes.Ldc_I4, (1 << SiteOffsetBits) - 1);
                _il.Emit(OpCodes.And);
                _il.Emit(OpCodes.Conv_I8);
                _il.Emit(OpCodes.Add);
            });
            _il.Emit(OpCodes.Ldloc, _exitSite);
            _il.Emit(OpCodes.Ldc_I4, SiteOffsetBits + SiteUnretiredBits);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ret);
        });
        return tail;
    }

    private void StoreExitPc(Action pushPc)
    {
        _il.Emit(OpCodes.Ldarg, ArgState);
        pushPc();
        _il.Emit(OpCodes.Stfld, PcField);
        _il.Emit(OpCodes.Ldarg, ArgState);
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Stfld, LeftField);
    }

    /// <summary>
    /// A direct jump to another entry on this page: tail-call its translation through the
    /// chain slot, or, while the slot is empty, return to the dispatcher naming the slot so it
    /// can fill it.
    /// </summary>
    private Label ChainTail()
    {
        if (_chainTail is Label existing)
            return existing;
        Label tail = _il.DefineLabel();
        _chainTail = tail;
        _cold.Add(() =>
        {
            _il.Section("  chained jump on this page:");
            _il.Mark(tail);
            LocalBuilder next = _il.Local(typeof(BlockCode), "next");
            Label unchained = _il.DefineLabel();
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, ChainField);
            _il.Emit(OpCodes.Ldloc, _chainIndex);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Stloc, next);
            _il.Emit(OpCodes.Ldloc, next);
            _il.Emit(OpCodes.Brfalse, unchained);
            _il.Emit(OpCodes.Ldloc, next);
            TailCall(PushChainTarget);
            _il.Mark(unchained);
            StoreExitPc(PushChainTarget);
            _il.Emit(OpCodes.Ldarg, ArgState);
            _il.Emit(OpCodes.Ldloc, _chainIndex);
            _il.Emit(OpCodes.Stfld, ChainIndexField);
            _il.Emit(OpCodes.Ldarg, ArgHart);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Stfld, Hart.JitChainFromField);
            _il.Emit(OpCodes.Ldc_I4, (int)JitExit.Continue);
            _il.Emit(OpCodes.Ret);
        });
        return tail;
    }

    /// <summary>
    /// A jump to a computed address, or off this page (in <c>target</c>): tail-call the
    /// translation the hart's jump cache names for it, else return to the dispatcher.
    /// </summary>
    private Label IndirectTail()
    {
        if (_indirectTail is Label existing)
            return existing;
        Label tail = _il.DefineLabel();
        _indirectTail = tail;
        _cold.Add(() =>
        {
            _il.Section("  jump through the jump cache:");
            _il.Mark(tail);
            LocalBuilder slot = _il.Local(typeof(JumpEntry).MakeByRefType(), "jumpEntry");
            Label miss = _il.DefineLabel();
            _il.Emit(OpCodes.Ldarg, ArgHart);
            _il.Emit(OpCodes.Ldfld, Hart.JumpCacheField);
            _il.Emit(OpCodes.Ldloc, _target);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, JumpEntry.Count - 1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldelema, typeof(JumpEntry));
            _il.Emit(OpCodes.Stloc, slot);
            _il.Emit(OpCodes.Ldloc, slot);
            _il.Emit(OpCodes.Ldfld, EntryPcField);
            _il.Emit(OpCodes.Ldloc, _target);
            _il.Emit(OpCodes.Bne_Un, miss);
            _il.Emit(OpCodes.Ldloc, slot);
            _il.Emit(OpCodes.Ldfld, EntryTargetField);
            _il.Emit(OpCodes.Ldfld, CodeField);
            TailCall(() => _il.Emit(OpCodes.Ldloc, _target));
            _il.Mark(miss);
            StoreExitPc(() => _il.Emit(OpCodes.Ldloc, _target));
            _il.Emit(OpCodes.Ldc_I4, (int)JitExit.Continue);
            _il.Emit(OpCodes.Ret);
        });
        return tail;
    }

    /// <summary>Pushes the chained jump's target: vbase + exitOffset.</summary>
    private void PushChainTarget()
    {
        _il.Emit(OpCodes.Ldloc, _vbase);
        _il.Emit(OpCodes.Ldloc, _exitOffset);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>With a <see cref="BlockCode"/> on the stack: tail-calls it with this hart, state, the pushed pc and the budget left.</summary>
    private void TailCall(Action pushPc)
    {
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldarg, ArgState);
        pushPc();
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Tailcall);
        _il.Emit(OpCodes.Callvirt, InvokeMethod);
        _il.Emit(OpCodes.Ret);
    }

    private void MemoryBarrier() => _il.Emit(OpCodes.Call, BarrierMethod);

    private static ulong PageMaskFor(int size) => ~(ulong)(PhysicalMemory.PageSize - size);
}
