using System.Reflection;
using System.Reflection.Emit;
using Osprey.Machine.Cpu;

namespace Osprey.Machine.Jit;

internal sealed partial class Emitter
{
    private static readonly MethodInfo MulHigh = typeof(JitHelpers).GetMethod(nameof(JitHelpers.MulHigh))!;
    private static readonly MethodInfo MulHighUnsigned = typeof(JitHelpers).GetMethod(nameof(JitHelpers.MulHighUnsigned))!;

    private static MethodInfo ArithmeticMethod(string name) => typeof(Arithmetic).GetMethod(name)!;

    private void EmitInstruction(RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        switch (ri.Kind)
        {
            case InstKind.Branch:
                Read(d.Rs1);
                Read(d.Rs2);
                _il.Emit(BranchOpcode(d.Op), LabelFor(ri.Offset + d.Imm));
                return;
            case InstKind.Jump:
                PcOf(ri.Next);
                Write(d.Rd);
                _il.Emit(OpCodes.Br, LabelFor(ri.Offset + d.Imm));
                return;
            case InstKind.Indirect:
                // The target first: rd may be rs1.
                Read(d.Rs1);
                _il.Emit(OpCodes.Ldc_I8, (long)d.Imm);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldc_I8, ~1L);
                _il.Emit(OpCodes.And);
                _il.Emit(OpCodes.Stloc, _target);
                PcOf(ri.Next);
                Write(d.Rd);
                WriteBack(DirtyAfter);
                _il.Emit(OpCodes.Br, IndirectTail());
                return;
            case InstKind.Trap:
                {
                    (JitExit exit, ulong? value) = d.Op switch
                    {
                        Op.Ecall => (JitExit.Ecall, (ulong?)null),
                        Op.Ebreak => (JitExit.Ebreak, null),
                        _ => (JitExit.Illegal, (ulong)(uint)d.Imm),
                    };
                    _il.Emit(OpCodes.Br, Exit(ri.Offset, ri.Remaining, exit, value));
                    return;
                }
            case InstKind.StepExit:
                _il.Emit(OpCodes.Br, Exit(ri.Offset, ri.Remaining, JitExit.Interpret));
                return;
            case InstKind.Atomic:
                EmitAtomic(ri);
                return;
            case InstKind.Float:
                EmitFloat(ri);
                return;
            case InstKind.FloatRegistersOnly:
                EmitFloatRegistersOnly(ri);
                return;
            case InstKind.Helper:
                EmitHelper(ri);
                return;
        }

        if (RegionBuilder.IsLoad(d.Op))
            EmitLoad(ri);
        else if (RegionBuilder.IsStore(d.Op))
            EmitStore(ri);
        else if (d.Op == Op.Fence)
            MemoryBarrier();
        else
            EmitAlu(ri);
    }

    private static OpCode BranchOpcode(Op op) => op switch
    {
        Op.Beq => OpCodes.Beq,
        Op.Bne => OpCodes.Bne_Un,
        Op.Blt => OpCodes.Blt,
        Op.Bge => OpCodes.Bge,
        Op.Bltu => OpCodes.Blt_Un,
        _ => OpCodes.Bge_Un,
    };

    private void EmitAlu(RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        if (d.Rd == Decoder.Sink)
            return; // a HINT: nothing to compute, and nothing an ALU operation does can trap
        long imm = d.Imm;
        switch (d.Op)
        {
            case Op.Lui: _il.Emit(OpCodes.Ldc_I8, imm); break;
            case Op.Auipc: PcOf(ri.Offset + d.Imm); break;

            case Op.Addi: Binary(d.Rs1, imm, OpCodes.Add); break;
            case Op.Slti: Binary(d.Rs1, imm, OpCodes.Clt); ToUlong(); break;
            case Op.Sltiu: Binary(d.Rs1, imm, OpCodes.Clt_Un); ToUlong(); break;
            case Op.Xori: Binary(d.Rs1, imm, OpCodes.Xor); break;
            case Op.Ori: Binary(d.Rs1, imm, OpCodes.Or); break;
            case Op.Andi: Binary(d.Rs1, imm, OpCodes.And); break;
            case Op.Slli: Shift(d.Rs1, d.Imm, OpCodes.Shl); break;
            case Op.Srli: Shift(d.Rs1, d.Imm, OpCodes.Shr_Un); break;
            case Op.Srai: Shift(d.Rs1, d.Imm, OpCodes.Shr); break;

            case Op.Add: Binary(d.Rs1, d.Rs2, OpCodes.Add); break;
            case Op.Sub: Binary(d.Rs1, d.Rs2, OpCodes.Sub); break;
            case Op.Sll: ShiftBy(d.Rs1, d.Rs2, 63, OpCodes.Shl); break;
            case Op.Slt: Binary(d.Rs1, d.Rs2, OpCodes.Clt); ToUlong(); break;
            case Op.Sltu: Binary(d.Rs1, d.Rs2, OpCodes.Clt_Un); ToUlong(); break;
            case Op.Xor: Binary(d.Rs1, d.Rs2, OpCodes.Xor); break;
            case Op.Srl: ShiftBy(d.Rs1, d.Rs2, 63, OpCodes.Shr_Un); break;
            case Op.Sra: ShiftBy(d.Rs1, d.Rs2, 63, OpCodes.Shr); break;
            case Op.Or: Binary(d.Rs1, d.Rs2, OpCodes.Or); break;
            case Op.And: Binary(d.Rs1, d.Rs2, OpCodes.And); break;

            // Word operations: compute in 64 bits where the low 32 come out the same, then
            // sign-extend the low word.
            case Op.Addiw: Binary(d.Rs1, imm, OpCodes.Add); SignExtendWord(); break;
            case Op.Slliw: Shift(d.Rs1, d.Imm, OpCodes.Shl); SignExtendWord(); break;
            case Op.Srliw:
                Read(d.Rs1);
                _il.Emit(OpCodes.Conv_U4);
                _il.Emit(OpCodes.Ldc_I4, d.Imm);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Conv_I8);
                break;
            case Op.Sraiw:
                Read(d.Rs1);
                _il.Emit(OpCodes.Conv_I4);
                _il.Emit(OpCodes.Ldc_I4, d.Imm);
                _il.Emit(OpCodes.Shr);
                _il.Emit(OpCodes.Conv_I8);
                break;
            case Op.Addw: Binary(d.Rs1, d.Rs2, OpCodes.Add); SignExtendWord(); break;
            case Op.Subw: Binary(d.Rs1, d.Rs2, OpCodes.Sub); SignExtendWord(); break;
            case Op.Sllw: WordShiftBy(d.Rs1, d.Rs2, OpCodes.Conv_I4, OpCodes.Shl); break;
            case Op.Srlw: WordShiftBy(d.Rs1, d.Rs2, OpCodes.Conv_U4, OpCodes.Shr_Un); break;
            case Op.Sraw: WordShiftBy(d.Rs1, d.Rs2, OpCodes.Conv_I4, OpCodes.Shr); break;

            case Op.Mul: Binary(d.Rs1, d.Rs2, OpCodes.Mul); break;
            case Op.Mulh: Call(d.Rs1, d.Rs2, MulHigh); break;
            case Op.Mulhu: Call(d.Rs1, d.Rs2, MulHighUnsigned); break;
            case Op.Mulhsu: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.MulHighSignedUnsigned))); break;
            case Op.Mulw: Binary(d.Rs1, d.Rs2, OpCodes.Mul); SignExtendWord(); break;
            case Op.Div: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Div))); break;
            case Op.Divu: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Divu))); break;
            case Op.Rem: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Rem))); break;
            case Op.Remu: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Remu))); break;
            case Op.Divw: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Divw))); break;
            case Op.Divuw: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Divuw))); break;
            case Op.Remw: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Remw))); break;
            case Op.Remuw: Call(d.Rs1, d.Rs2, ArithmeticMethod(nameof(Arithmetic.Remuw))); break;

            default:
                throw new InvalidOperationException($"jit: no translation for {d.Op}");
        }
        Write(d.Rd);
    }

    private void Binary(int rs1, long imm, OpCode op)
    {
        Read(rs1);
        _il.Emit(OpCodes.Ldc_I8, imm);
        _il.Emit(op);
    }

    private void Binary(int rs1, int rs2, OpCode op)
    {
        Read(rs1);
        Read(rs2);
        _il.Emit(op);
    }

    private void Call(int rs1, int rs2, MethodInfo method)
    {
        Read(rs1);
        Read(rs2);
        _il.Emit(OpCodes.Call, method);
    }

    private void Shift(int rs1, int amount, OpCode op)
    {
        Read(rs1);
        _il.Emit(OpCodes.Ldc_I4, amount);
        _il.Emit(op);
    }

    /// <summary>rs1 shifted by the low bits of rs2 (IL leaves larger counts undefined, RISC-V masks them).</summary>
    private void ShiftBy(int rs1, int rs2, int mask, OpCode op)
    {
        Read(rs1);
        Read(rs2);
        _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Ldc_I4, mask);
        _il.Emit(OpCodes.And);
        _il.Emit(op);
    }

    /// <summary>A 32-bit shift of the low word of rs1 (narrowed by <paramref name="narrow"/>), sign-extended.</summary>
    private void WordShiftBy(int rs1, int rs2, OpCode narrow, OpCode op)
    {
        Read(rs1);
        _il.Emit(narrow);
        Read(rs2);
        _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Ldc_I4, 31);
        _il.Emit(OpCodes.And);
        _il.Emit(op);
        _il.Emit(OpCodes.Conv_I8);
    }

    private void SignExtendWord()
    {
        _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Conv_I8);
    }

    /// <summary>A comparison's 0 or 1 (an int32) as a 64-bit value.</summary>
    private void ToUlong() => _il.Emit(OpCodes.Conv_U8);

    // ---- atomics and helpers -----------------------------------------------------------

    /// <summary>
    /// LR, SC or an AMO: the interpreter's atomics, which read rs1 and rs2 from the register
    /// file (written back just before) and write rd, which is reloaded after.
    /// </summary>
    private void EmitAtomic(RegionInst ri) =>
        CallInterpreter(ri, Hart.JitAtomicMethod, withBits: false, Exit(ri.Offset, ri.Remaining, JitExit.Fault));

    /// <summary>
    /// An F or D operation or an FP CSR access: the interpreter's floating-point code, given the
    /// instruction's bits too (rounding mode, rs3). It reads its operands from the register file
    /// and writes its result there; an integer result is reloaded into its local. A dynamic
    /// rounding mode while frm is invalid makes it an illegal instruction, as in the interpreter.
    /// </summary>
    private void EmitFloat(RegionInst ri) =>
        CallInterpreter(ri, Hart.JitFloatMethod, withBits: true, IllegalInstructionExit(ri));

    /// <summary>
    /// An F/D operation on f registers only: the interpreter's floating-point code as for
    /// <see cref="EmitFloat"/>, with the integer registers left in their locals, since f
    /// registers live in the register file and it touches nothing else. Only its illegal-
    /// instruction exit (a dynamic rounding mode while frm is invalid) writes them back.
    /// </summary>
    private void EmitFloatRegistersOnly(RegionInst ri)
    {
        if (!TryEmitDirectFloat(ri))
            CallInterpreter(ri, Hart.JitFloatMethod, withBits: true, IllegalInstructionExit(ri), integerRegisters: false);
    }

    /// <summary>The way out of an F/D operation the hart finds illegal (a dynamic rounding mode while frm is invalid).</summary>
    private Label IllegalInstructionExit(RegionInst ri) => Exit(ri.Offset, ri.Remaining, JitExit.Illegal, (uint)ri.Inst.Imm);

    /// <summary>
    /// Calls <paramref name="method"/> on the hart with op, rd, rs1 and rs2 packed a byte each
    /// (and Imm, <paramref name="withBits"/>); goes to <paramref name="failed"/> if it returns
    /// false. The dirty registers are written back before and the integer register it wrote is
    /// reloaded after, unless it touches no integer register (<paramref name="integerRegisters"/> false).
    /// </summary>
    private void CallInterpreter(RegionInst ri, MethodInfo method, bool withBits, Label failed, bool integerRegisters = true)
    {
        DecodedInst d = ri.Inst;
        if (integerRegisters)
            WriteBack(DirtyBefore);
        uint packed = (uint)d.Op | (uint)d.Rd << 8 | (uint)d.Rs1 << 16 | (uint)d.Rs2 << 24;
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldc_I4, (int)packed);
        if (withBits)
            _il.Emit(OpCodes.Ldc_I4, d.Imm);
        _il.Emit(OpCodes.Call, method);
        _il.Emit(OpCodes.Brfalse, failed);
        if (integerRegisters)
            ReloadRegisters(RegionBuilder.Writes(ri));
    }

    /// <summary>
    /// An instruction the translator leaves to the interpreter, run in place: every register
    /// this method has changed is written back first, and every one it holds is reloaded after,
    /// because the instruction may read or write any of them. The interpreter is told how much
    /// budget is left before it, so a read of instret is exact.
    /// </summary>
    private void EmitHelper(RegionInst ri)
    {
        WriteBack(DirtyBefore);
        _il.Emit(OpCodes.Ldarg, ArgHart);
        PcOf(ri.Offset);
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Ldc_I8, (long)ri.Remaining);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Call, Hart.JitStepMethod);
        _il.Emit(OpCodes.Brfalse, Exit(ri.Offset, ri.Remaining, JitExit.StepTrap));
        ReloadRegisters(_region.Used);
    }
}
