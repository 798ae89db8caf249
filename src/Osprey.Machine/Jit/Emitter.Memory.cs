using System.Reflection.Emit;
using Osprey.Machine.Cpu;

namespace Osprey.Machine.Jit;

internal sealed partial class Emitter
{
    /// <summary>
    /// A load: the TLB hit inline, as the interpreter does it (one compare of the tag with the
    /// address masked to keep its alignment bits checks page, validity and alignment at once).
    /// Anything else (a miss, a misaligned or page-crossing load, a fault) leaves the block
    /// before the load, for the interpreter to perform it. That keeps the method free of calls,
    /// so the .NET JIT can keep guest registers in every host register; misses are rare once
    /// the TLB is warm.
    /// </summary>
    private void EmitLoad(RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        (int size, OpCode load, OpCode? widen) = d.Op switch
        {
            Op.Lb => (1, OpCodes.Ldind_I1, (OpCode?)OpCodes.Conv_I8),
            Op.Lbu => (1, OpCodes.Ldind_U1, OpCodes.Conv_U8),
            Op.Lh => (2, OpCodes.Ldind_I2, OpCodes.Conv_I8),
            Op.Lhu => (2, OpCodes.Ldind_U2, OpCodes.Conv_U8),
            Op.Lw => (4, OpCodes.Ldind_I4, OpCodes.Conv_I8),
            Op.Lwu or Op.Flw => (4, OpCodes.Ldind_U4, OpCodes.Conv_U8),
            _ => (8, OpCodes.Ldind_I8, null),
        };
        TlbProbe(d, _loadTlb!, size, Exit(ri.Offset, ri.Remaining, JitExit.Interpret));
        HostAddress(d, _loadTlb!);
        _il.Emit(load);
        if (widen is OpCode w)
            _il.Emit(w);
        if (d.Op == Op.Flw)
        {
            // NaN-boxed, as every single in a 64-bit f register.
            _il.Emit(OpCodes.Ldc_I8, unchecked((long)0xFFFF_FFFF_0000_0000UL));
            _il.Emit(OpCodes.Or);
        }
        Write(d.Rd);
    }

    /// <summary>A store: the TLB hit inline; anything else leaves the block for the interpreter, as a load does (fsw stores the low half as it is, boxed or not).</summary>
    private void EmitStore(RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        (int size, OpCode store) = d.Op switch
        {
            Op.Sb => (1, OpCodes.Stind_I1),
            Op.Sh => (2, OpCodes.Stind_I2),
            Op.Sw or Op.Fsw => (4, OpCodes.Stind_I4),
            _ => (8, OpCodes.Stind_I8),
        };
        TlbProbe(d, _storeTlb!, size, Exit(ri.Offset, ri.Remaining, JitExit.Interpret));
        HostAddress(d, _storeTlb!);
        Read(d.Rs2);
        if (size < 8)
            _il.Emit(OpCodes.Conv_U4);
        _il.Emit(store);
    }

    /// <summary>
    /// Branches to <paramref name="miss"/> unless the TLB slot for va = rs1 + imm has a tag
    /// equal to va with its low bits cleared except those that must be zero for an access of
    /// <paramref name="size"/>. The address and slot are not kept for <see cref="HostAddress"/>,
    /// which computes them again: kept in locals they are live across the branch, and in a
    /// region that uses many registers the .NET JIT spilled them to the stack at every access.
    /// </summary>
    private void TlbProbe(DecodedInst d, LocalBuilder tlb, int size, Label miss)
    {
        PushSlot(d, tlb);
        _il.Emit(OpCodes.Ldind_I8);
        PushAddress(d);
        _il.Emit(OpCodes.Ldc_I8, (long)PageMaskFor(size));
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Bne_Un, miss);
    }

    /// <summary>Pushes va = rs1 + imm.</summary>
    private void PushAddress(DecodedInst d)
    {
        Read(d.Rs1);
        if (d.Imm != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)d.Imm);
            _il.Emit(OpCodes.Add);
        }
    }

    /// <summary>Pushes the TLB slot for va: tlb + ((va >> 12) & (TlbSize - 1)) * sizeof(TlbEntry), with the shifts folded.</summary>
    private void PushSlot(DecodedInst d, LocalBuilder tlb)
    {
        _il.Emit(OpCodes.Ldloc, tlb);
        PushAddress(d);
        _il.Emit(OpCodes.Ldc_I4, 12 - 4);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Ldc_I8, (long)((Memory.Mmu.TlbSize - 1) << 4));
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_I);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>Pushes the host address of va through the TLB slot the probe found: va + the slot's addend.</summary>
    private void HostAddress(DecodedInst d, LocalBuilder tlb)
    {
        PushSlot(d, tlb);
        _il.Emit(OpCodes.Ldc_I4, sizeof(ulong));
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I8);
        PushAddress(d);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Conv_I);
    }
}
