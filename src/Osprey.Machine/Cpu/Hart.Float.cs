using System.Runtime.CompilerServices;
using Osprey.Machine.Float;

namespace Osprey.Machine.Cpu;

/// <summary>
/// The F and D extensions: f0..f31 (in the register array after the x registers and the
/// sink, at <see cref="Decoder.FloatBase"/>), fcsr, and the execution of every operation but
/// the loads and stores, which the interpreter loop does itself.
///
/// A single-precision value lives NaN-boxed in a 64-bit register: the upper 32 bits all ones.
/// Every single result is written boxed, and a single operand that is not properly boxed is
/// read as the canonical NaN (except by the moves and stores, which take the low bits as they are).
/// </summary>
public sealed unsafe partial class Hart
{
    /// <summary>The bits a NaN-boxed single carries above its value.</summary>
    private const ulong NanBox = 0xFFFF_FFFF_0000_0000;

    private const ulong SingleCanonicalNaN = 0x7FC0_0000;

    // fcsr: frm in bits 7..5, the accrued flags in bits 4..0. Bits above 7 are reserved and
    // read as zero.
    private uint _fcsr;

    /// <summary>The floating-point control and status register: frm in bits 7..5, fflags in bits 4..0.</summary>
    public uint Fcsr
    {
        get => _fcsr;
        set => _fcsr = value & 0xFF;
    }

    /// <summary>Register f<paramref name="index"/> as raw bits (a single is NaN-boxed in the upper half).</summary>
    public ulong GetFloatRegister(int index) => _regs[Decoder.FloatBase + CheckRegister(index)];

    public void SetFloatRegister(int index, ulong bits) => _regs[Decoder.FloatBase + CheckRegister(index)] = bits;

    /// <summary>Copies f0..f31 into <paramref name="destination"/> (at least 32 long), as a kernel saves them on a trap.</summary>
    public void SaveFloatRegisters(Span<ulong> destination) =>
        new ReadOnlySpan<ulong>(_regs + Decoder.FloatBase, 32).CopyTo(destination);

    /// <summary>Loads f0..f31 from the first 32 values of <paramref name="source"/>.</summary>
    public void LoadFloatRegisters(ReadOnlySpan<ulong> source) =>
        source[..32].CopyTo(new Span<ulong>(_regs + Decoder.FloatBase, 32));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong UnboxSingle(ulong register) =>
        (register & NanBox) == NanBox ? register & 0xFFFF_FFFF : SingleCanonicalNaN;

    /// <summary>
    /// Runs one F/D operation. False if its rounding mode is invalid (rm = 7 with frm holding
    /// 5, 6 or 7), which the caller turns into an illegal-instruction trap.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExecuteFloat(DecodedInst* d)
    {
        ulong* r = _regs;
        Op op = d->Op;
        var bits = (uint)d->Imm;
        var rm = RoundingMode.NearestEven;
        if (Decoder.HasRoundingMode(op))
        {
            uint mode = (bits >> 12) & 7;
            if (mode == Decoder.DynamicRounding)
                mode = (_fcsr >> 5) & 7;
            if (mode > (uint)RoundingMode.NearestMaxMagnitude)
                return false;
            rm = (RoundingMode)mode;
        }
        // Seeded with the NX already accrued, which lets round-to-nearest skip work (see FloatUnit).
        uint flags = _fcsr & FloatFlags.Inexact;
        ref readonly FloatFormat s = ref FloatFormat.Single;
        ref readonly FloatFormat df = ref FloatFormat.Double;
        ulong a = r[d->Rs1], b = r[d->Rs2];
        ulong c = r[Decoder.FloatBase + (bits >> 27)];
        ulong result;

        switch (op)
        {
            case Op.FaddS: result = Box(FloatUnit.AddS(UnboxSingle(a), UnboxSingle(b), false, rm, ref flags)); break;
            case Op.FsubS: result = Box(FloatUnit.AddS(UnboxSingle(a), UnboxSingle(b), true, rm, ref flags)); break;
            case Op.FmulS: result = Box(FloatUnit.MultiplyS(UnboxSingle(a), UnboxSingle(b), rm, ref flags)); break;
            case Op.FdivS: result = Box(FloatUnit.DivideS(UnboxSingle(a), UnboxSingle(b), rm, ref flags)); break;
            case Op.FsqrtS: result = Box(FloatUnit.SquareRootS(UnboxSingle(a), rm, ref flags)); break;
            case Op.FmaddS: result = Box(FloatUnit.MultiplyAddS(UnboxSingle(a), UnboxSingle(b), UnboxSingle(c), false, false, rm, ref flags)); break;
            case Op.FmsubS: result = Box(FloatUnit.MultiplyAddS(UnboxSingle(a), UnboxSingle(b), UnboxSingle(c), false, true, rm, ref flags)); break;
            case Op.FnmsubS: result = Box(FloatUnit.MultiplyAddS(UnboxSingle(a), UnboxSingle(b), UnboxSingle(c), true, false, rm, ref flags)); break;
            case Op.FnmaddS: result = Box(FloatUnit.MultiplyAddS(UnboxSingle(a), UnboxSingle(b), UnboxSingle(c), true, true, rm, ref flags)); break;

            case Op.FaddD: result = FloatUnit.AddD(a, b, false, rm, ref flags); break;
            case Op.FsubD: result = FloatUnit.AddD(a, b, true, rm, ref flags); break;
            case Op.FmulD: result = FloatUnit.MultiplyD(a, b, rm, ref flags); break;
            case Op.FdivD: result = FloatUnit.DivideD(a, b, rm, ref flags); break;
            case Op.FsqrtD: result = FloatUnit.SquareRootD(a, rm, ref flags); break;
            case Op.FmaddD: result = FloatUnit.MultiplyAddD(a, b, c, false, false, rm, ref flags); break;
            case Op.FmsubD: result = FloatUnit.MultiplyAddD(a, b, c, false, true, rm, ref flags); break;
            case Op.FnmsubD: result = FloatUnit.MultiplyAddD(a, b, c, true, false, rm, ref flags); break;
            case Op.FnmaddD: result = FloatUnit.MultiplyAddD(a, b, c, true, true, rm, ref flags); break;

            case Op.FcvtWS: result = FloatUnit.ToIntegerS(UnboxSingle(a), 32, true, rm, ref flags); break;
            case Op.FcvtWuS: result = FloatUnit.ToIntegerS(UnboxSingle(a), 32, false, rm, ref flags); break;
            case Op.FcvtLS: result = FloatUnit.ToIntegerS(UnboxSingle(a), 64, true, rm, ref flags); break;
            case Op.FcvtLuS: result = FloatUnit.ToIntegerS(UnboxSingle(a), 64, false, rm, ref flags); break;
            case Op.FcvtWD: result = FloatUnit.ToIntegerD(a, 32, true, rm, ref flags); break;
            case Op.FcvtWuD: result = FloatUnit.ToIntegerD(a, 32, false, rm, ref flags); break;
            case Op.FcvtLD: result = FloatUnit.ToIntegerD(a, 64, true, rm, ref flags); break;
            case Op.FcvtLuD: result = FloatUnit.ToIntegerD(a, 64, false, rm, ref flags); break;

            // The W sources are the low 32 bits of the x register, signed or not.
            case Op.FcvtSW: result = Box(FloatUnit.FromIntegerS((ulong)(long)(int)a, true, rm, ref flags)); break;
            case Op.FcvtSWu: result = Box(FloatUnit.FromIntegerS((uint)a, false, rm, ref flags)); break;
            case Op.FcvtSL: result = Box(FloatUnit.FromIntegerS(a, true, rm, ref flags)); break;
            case Op.FcvtSLu: result = Box(FloatUnit.FromIntegerS(a, false, rm, ref flags)); break;
            case Op.FcvtDW: result = FloatUnit.FromIntegerD((ulong)(long)(int)a, true, rm, ref flags); break;
            case Op.FcvtDWu: result = FloatUnit.FromIntegerD((uint)a, false, rm, ref flags); break;
            case Op.FcvtDL: result = FloatUnit.FromIntegerD(a, true, rm, ref flags); break;
            case Op.FcvtDLu: result = FloatUnit.FromIntegerD(a, false, rm, ref flags); break;

            case Op.FcvtSD: result = Box(FloatUnit.DoubleToSingle(a, rm, ref flags)); break;
            case Op.FcvtDS: result = FloatUnit.SingleToDouble(UnboxSingle(a), rm, ref flags); break;

            case Op.FsgnjS: result = Box(SignInject(s, UnboxSingle(a), UnboxSingle(b), 0)); break;
            case Op.FsgnjnS: result = Box(SignInject(s, UnboxSingle(a), UnboxSingle(b), 1)); break;
            case Op.FsgnjxS: result = Box(SignInject(s, UnboxSingle(a), UnboxSingle(b), 2)); break;
            case Op.FsgnjD: result = SignInject(df, a, b, 0); break;
            case Op.FsgnjnD: result = SignInject(df, a, b, 1); break;
            case Op.FsgnjxD: result = SignInject(df, a, b, 2); break;

            case Op.FminS: result = Box(SoftFloat.MinMax(s, UnboxSingle(a), UnboxSingle(b), false, ref flags)); break;
            case Op.FmaxS: result = Box(SoftFloat.MinMax(s, UnboxSingle(a), UnboxSingle(b), true, ref flags)); break;
            case Op.FminD: result = SoftFloat.MinMax(df, a, b, false, ref flags); break;
            case Op.FmaxD: result = SoftFloat.MinMax(df, a, b, true, ref flags); break;

            case Op.FeqS: result = SoftFloat.Equal(s, UnboxSingle(a), UnboxSingle(b), ref flags) ? 1UL : 0; break;
            case Op.FltS: result = SoftFloat.Less(s, UnboxSingle(a), UnboxSingle(b), ref flags) ? 1UL : 0; break;
            case Op.FleS: result = SoftFloat.LessOrEqual(s, UnboxSingle(a), UnboxSingle(b), ref flags) ? 1UL : 0; break;
            case Op.FeqD: result = SoftFloat.Equal(df, a, b, ref flags) ? 1UL : 0; break;
            case Op.FltD: result = SoftFloat.Less(df, a, b, ref flags) ? 1UL : 0; break;
            case Op.FleD: result = SoftFloat.LessOrEqual(df, a, b, ref flags) ? 1UL : 0; break;

            case Op.FclassS: result = SoftFloat.Classify(s, UnboxSingle(a)); break;
            case Op.FclassD: result = SoftFloat.Classify(df, a); break;

            // The moves copy bits and look at no boxing: fmv.x.w sign-extends the low half.
            case Op.FmvXW: result = (ulong)(long)(int)a; break;
            case Op.FmvWX: result = Box(a); break;
            case Op.FmvXD: result = a; break;
            case Op.FmvDX: result = a; break;

            default:
                throw new InvalidOperationException($"hart {Id}: {op} is not a floating-point operation");
        }
        r[d->Rd] = result;
        _fcsr |= flags;
        return true;
    }

    private static ulong Box(ulong single) => NanBox | (single & 0xFFFF_FFFF);

    /// <summary>fsgnj (kind 0: b's sign), fsgnjn (1: b's sign inverted), fsgnjx (2: the signs' xor), on a's magnitude.</summary>
    private static ulong SignInject(in FloatFormat f, ulong a, ulong b, int kind)
    {
        ulong sign = kind switch
        {
            0 => b & f.SignBit,
            1 => ~b & f.SignBit,
            _ => (a ^ b) & f.SignBit,
        };
        return (a & ~f.SignBit) | sign;
    }

    /// <summary>
    /// csrrw/csrrs/csrrc and their immediate forms on fflags, frm and fcsr. The old value goes
    /// to rd; as for every CSR, csrrs/csrrc with x0 (or a zero immediate) do not write.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AccessFloatCsr(DecodedInst* d)
    {
        int csr = d->Imm & 0xFFF;
        int funct3 = d->Imm >> 12;
        uint old = csr switch
        {
            Decoder.CsrFflags => _fcsr & FloatFlags.All,
            Decoder.CsrFrm => (_fcsr >> 5) & 7,
            _ => _fcsr,
        };
        ulong source = funct3 >= 5 ? d->Rs1 : _regs[d->Rs1];
        bool writes = (funct3 & 3) == 1 || d->Rs1 != 0;
        if (writes)
        {
            var value = (uint)((funct3 & 3) switch
            {
                1 => source,
                2 => old | source,
                _ => old & ~source,
            });
            _fcsr = csr switch
            {
                Decoder.CsrFflags => (_fcsr & ~FloatFlags.All) | (value & FloatFlags.All),
                Decoder.CsrFrm => (_fcsr & FloatFlags.All) | ((value & 7) << 5),
                _ => value & 0xFF,
            };
        }
        _regs[d->Rd] = old;
    }
}
