using System.Reflection;
using System.Reflection.Emit;
using Osprey.Machine.Cpu;
using Osprey.Machine.Float;

namespace Osprey.Machine.Jit;

/// <summary>
/// Double-precision arithmetic that translated code does itself: a call straight to the
/// <see cref="FloatUnit"/> operation, with the rounding mode a constant when the instruction
/// names one, instead of a call to the interpreter's <c>ExecuteFloat</c>, which unpacks the
/// instruction, works out its rounding mode and switches on its operation every time. Its
/// results are the interpreter's: the same FloatUnit call with the same operands, rounding
/// mode and flags (seeded with the NX already in fflags, as the interpreter seeds them).
/// nbody's loop is nearly all of these, and the way through ExecuteFloat took more of its time
/// than the arithmetic did. Singles, conversions, compares and the rest still go through the
/// interpreter (<see cref="EmitFloatRegistersOnly"/>).
/// </summary>
internal sealed partial class Emitter
{
    private static readonly MethodInfo AddD = FloatUnitMethod(nameof(FloatUnit.AddD));
    private static readonly MethodInfo MultiplyD = FloatUnitMethod(nameof(FloatUnit.MultiplyD));
    private static readonly MethodInfo DivideD = FloatUnitMethod(nameof(FloatUnit.DivideD));
    private static readonly MethodInfo SquareRootD = FloatUnitMethod(nameof(FloatUnit.SquareRootD));
    private static readonly MethodInfo MultiplyAddD = FloatUnitMethod(nameof(FloatUnit.MultiplyAddD));

    private LocalBuilder? _floatFlags, _roundingMode;

    private static MethodInfo FloatUnitMethod(string name) =>
        typeof(FloatUnit).GetMethod(name, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"jit: FloatUnit.{name} not found");

    /// <summary>Emits <paramref name="ri"/> as direct arithmetic if it is one of the operations done here; false to leave it to the interpreter.</summary>
    private bool TryEmitDirectFloat(RegionInst ri)
    {
        DecodedInst d = ri.Inst;
        switch (d.Op)
        {
            case Op.FsgnjD: case Op.FsgnjnD: case Op.FsgnjxD:
                EmitSignInjectD(d);
                return true;
            case Op.FaddD: case Op.FsubD: case Op.FmulD: case Op.FdivD: case Op.FsqrtD:
            case Op.FmaddD: case Op.FmsubD: case Op.FnmsubD: case Op.FnmaddD:
                break;
            default:
                return false;
        }
        int rm = (d.Imm >> 12) & 7;
        if (rm != Decoder.DynamicRounding && rm > (int)RoundingMode.NearestMaxMagnitude)
            return false; // reserved: the interpreter makes it an illegal instruction

        if (rm == Decoder.DynamicRounding)
            LoadDynamicRoundingMode(ri);
        _floatFlags ??= _il.Local(typeof(uint), "fflags");
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldfld, Hart.FcsrField);
        _il.Emit(OpCodes.Ldc_I4, (int)FloatFlags.Inexact);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Stloc, _floatFlags);

        Read(d.Rs1);
        switch (d.Op)
        {
            case Op.FaddD: case Op.FsubD:
                Read(d.Rs2);
                _il.Emit(OpCodes.Ldc_I4, d.Op == Op.FsubD ? 1 : 0);
                CallFloatUnit(AddD, rm);
                break;
            case Op.FmulD:
                Read(d.Rs2);
                CallFloatUnit(MultiplyD, rm);
                break;
            case Op.FdivD:
                Read(d.Rs2);
                CallFloatUnit(DivideD, rm);
                break;
            case Op.FsqrtD:
                CallFloatUnit(SquareRootD, rm);
                break;
            default:
                Read(d.Rs2);
                Read(Decoder.FloatBase + (int)((uint)d.Imm >> 27));
                _il.Emit(OpCodes.Ldc_I4, d.Op is Op.FnmsubD or Op.FnmaddD ? 1 : 0); // negate the product
                _il.Emit(OpCodes.Ldc_I4, d.Op is Op.FmsubD or Op.FnmaddD ? 1 : 0); // negate the addend
                CallFloatUnit(MultiplyAddD, rm);
                break;
        }
        Write(d.Rd);

        // fflags accrue: fcsr |= the flags the operation raised.
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldfld, Hart.FcsrField);
        _il.Emit(OpCodes.Ldloc, _floatFlags);
        _il.Emit(OpCodes.Or);
        _il.Emit(OpCodes.Stfld, Hart.FcsrField);
        return true;
    }

    /// <summary>Pushes the rounding mode (a constant, or frm's, already checked) and the flags' address, and calls <paramref name="method"/>.</summary>
    private void CallFloatUnit(MethodInfo method, int rm)
    {
        if (rm == Decoder.DynamicRounding)
            _il.Emit(OpCodes.Ldloc, _roundingMode!);
        else
            _il.Emit(OpCodes.Ldc_I4, rm);
        _il.Emit(OpCodes.Ldloca, _floatFlags!);
        _il.Emit(OpCodes.Call, method);
    }

    /// <summary>frm into the rounding-mode local; an invalid one (5, 6, 7) is an illegal instruction, before anything is changed.</summary>
    private void LoadDynamicRoundingMode(RegionInst ri)
    {
        _roundingMode ??= _il.Local(typeof(int), "frm");
        _il.Emit(OpCodes.Ldarg, ArgHart);
        _il.Emit(OpCodes.Ldfld, Hart.FcsrField);
        _il.Emit(OpCodes.Ldc_I4, 5);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Ldc_I4, 7);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Stloc, _roundingMode);
        _il.Emit(OpCodes.Ldloc, _roundingMode);
        _il.Emit(OpCodes.Ldc_I4, (int)RoundingMode.NearestMaxMagnitude);
        _il.Emit(OpCodes.Bgt_Un, IllegalInstructionExit(ri));
    }

    /// <summary>fsgnj.d, fsgnjn.d, fsgnjx.d (fmv.d, fneg.d, fabs.d): rs1's magnitude with b's sign, its inverse, or the signs' xor. No flags.</summary>
    private void EmitSignInjectD(DecodedInst d)
    {
        Read(d.Rs1);
        _il.Emit(OpCodes.Ldc_I8, (long)~FloatFormat.Double.SignBit);
        _il.Emit(OpCodes.And);
        if (d.Op == Op.FsgnjxD)
        {
            Read(d.Rs1);
            Read(d.Rs2);
            _il.Emit(OpCodes.Xor);
        }
        else
        {
            Read(d.Rs2);
            if (d.Op == Op.FsgnjnD)
                _il.Emit(OpCodes.Not);
        }
        _il.Emit(OpCodes.Ldc_I8, unchecked((long)FloatFormat.Double.SignBit));
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Or);
        Write(d.Rd);
    }
}
