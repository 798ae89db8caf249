using static Osprey.Machine.Tests.Float.FloatValues;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// fadd, fsub, fmul, fdiv, fsqrt and the fused multiply-adds, single and double: every
/// rounding mode on cases whose exact result lies between two numbers (ties included), the
/// special operands (zeros of both signs, infinities, quiet and signalling NaNs), results that
/// overflow, underflow (with tininess detected after rounding) or are exact, and every flag.
/// Expected values are worked out from the IEEE 754 definitions, not taken from any machine.
/// </summary>
public sealed class ArithmeticTests
{
    /// <summary>Operation, a, b, c, then the result and flags for RNE, RTZ, RDN, RUP, RMM.</summary>
    public static TheoryData<string, int, ulong, ulong, ulong, ulong, uint> Rows()
    {
        var rows = new TheoryData<string, int, ulong, ulong, ulong, ulong, uint>();
        void All(string op, ulong a, ulong b, ulong c, ulong result, uint flags)
        {
            for (int rm = Rne; rm <= Rmm; rm++)
                rows.Add(op, rm, a, b, c, result, flags);
        }
        void Modes(string op, ulong a, ulong b, ulong c, uint flags, ulong rne, ulong rtz, ulong rdn, ulong rup, ulong rmm)
        {
            rows.Add(op, Rne, a, b, c, rne, flags);
            rows.Add(op, Rtz, a, b, c, rtz, flags);
            rows.Add(op, Rdn, a, b, c, rdn, flags);
            rows.Add(op, Rup, a, b, c, rup, flags);
            rows.Add(op, Rmm, a, b, c, rmm, flags);
        }

        // ---- add and subtract, double --------------------------------------------------
        All("fadd.d", D(1), D(2), 0, D(3), 0);
        All("fsub.d", D(1), D(0.25), 0, D(0.75), 0);
        // 1 + 2^-53: exactly half an ulp above 1, a tie.
        Modes("fadd.d", DOne, D(Math.ScaleB(1, -53)), 0, NX, DOne, DOne, DOne, DOneUlp, DOneUlp);
        // 1 + 3 * 2^-54: three quarters of an ulp above 1.
        Modes("fadd.d", DOne, D(3 * Math.ScaleB(1, -54)), 0, NX, DOneUlp, DOne, DOne, DOneUlp, DOneUlp);
        // 1 + 2^-54: a quarter of an ulp.
        Modes("fadd.d", DOne, D(Math.ScaleB(1, -54)), 0, NX, DOne, DOne, DOne, DOneUlp, DOne);
        // The same, negative: the directed modes swap.
        Modes("fadd.d", D(-1), D(-Math.ScaleB(1, -53)), 0, NX, D(-1), D(-1), DOneUlp | DNegZero, D(-1), DOneUlp | DNegZero);
        // 1 + ulp + half an ulp: a tie whose even neighbour is above.
        Modes("fadd.d", DOneUlp, D(Math.ScaleB(1, -53)), 0, NX, DOneUlp + 1, DOneUlp, DOneUlp, DOneUlp + 1, DOneUlp + 1);
        // Overflow: to infinity, or to the largest finite number when rounding toward zero from that side.
        Modes("fadd.d", DMax, DMax, 0, OF | NX, DInf, DMax, DMax, DInf, DInf);
        Modes("fadd.d", DMax | DNegZero, DMax | DNegZero, 0, OF | NX, DNegInf, DMax | DNegZero, DNegInf, DMax | DNegZero, DNegInf);
        // Exact zero sums are +0 except when rounding down, which gives -0.
        Modes("fadd.d", D(1.5), D(-1.5), 0, 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        Modes("fsub.d", D(2), D(2), 0, 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        Modes("fadd.d", DPosZero, DNegZero, 0, 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        All("fadd.d", DNegZero, DNegZero, 0, DNegZero, 0);
        All("fsub.d", DNegZero, DPosZero, 0, DNegZero, 0);
        All("fadd.d", DNegZero, D(5), 0, D(5), 0);
        // Subnormals add exactly; a tiny exact result raises nothing.
        All("fadd.d", DMinSub, DMinSub, 0, 2, 0);
        All("fsub.d", DMinNormal + 1, DMinNormal, 0, DMinSub, 0);
        All("fadd.d", DMaxSub, DMinSub, 0, DMinNormal, 0);
        // Infinities and NaNs.
        All("fadd.d", DInf, DNegInf, 0, DQNaN, NV);
        All("fsub.d", DInf, DInf, 0, DQNaN, NV);
        All("fadd.d", DInf, DMax, 0, DInf, 0);
        All("fsub.d", D(1), DInf, 0, DNegInf, 0);
        All("fadd.d", DQNaNPayload, D(1), 0, DQNaN, 0);
        All("fadd.d", D(1), DSNaN, 0, DQNaN, NV);
        All("fsub.d", DSNaNPayload, DQNaN, 0, DQNaN, NV);
        All("fadd.d", DQNaN, DInf, 0, DQNaN, 0);
        // Cancellation to a few bits, exact.
        All("fsub.d", DOneUlp, DOne, 0, D(Math.ScaleB(1, -52)), 0);
        // A massive difference of exponents: the small operand only decides the rounding.
        Modes("fsub.d", DOne, DMinSub, 0, NX, DOne, 0x3FEF_FFFF_FFFF_FFFF, 0x3FEF_FFFF_FFFF_FFFF, DOne, DOne);

        // ---- add and subtract, single --------------------------------------------------
        All("fadd.s", S(1), S(2), 0, S(3), 0);
        Modes("fadd.s", SOne, S(MathF.ScaleB(1, -24)), 0, NX, SOne, SOne, SOne, SOne + 1, SOne + 1);
        Modes("fadd.s", S(-1), S(-MathF.ScaleB(1, -25)), 0, NX, S(-1), S(-1), Sb(0xBF80_0001), S(-1), S(-1));
        Modes("fadd.s", SMax, SMax, 0, OF | NX, SInf, SMax, SMax, SInf, SInf);
        Modes("fsub.s", S(3), S(3), 0, 0, SPosZero, SPosZero, SNegZero, SPosZero, SPosZero);
        All("fadd.s", SMinSub, SMaxSub, 0, SMinNormal, 0);
        All("fadd.s", SInf, SNegInf, 0, SQNaN, NV);
        All("fadd.s", SSNaN, S(1), 0, SQNaN, NV);
        All("fadd.s", SQNaNPayload, S(1), 0, SQNaN, 0);
        // An operand that is not NaN-boxed reads as the canonical (quiet) NaN.
        All("fadd.s", SUnboxed, S(1), 0, SQNaN, 0);
        All("fsub.s", S(1), 0x7FFF_FFFF_3F80_0000, 0, SQNaN, 0);

        // ---- multiply -------------------------------------------------------------------
        All("fmul.d", D(3), D(5), 0, D(15), 0);
        All("fmul.d", D(-3), D(0.5), 0, D(-1.5), 0);
        All("fmul.d", DNegZero, D(5), 0, DNegZero, 0);
        All("fmul.d", DNegZero, DNegZero, 0, DPosZero, 0);
        All("fmul.d", DInf, DPosZero, 0, DQNaN, NV);
        All("fmul.d", DNegZero, DNegInf, 0, DQNaN, NV);
        All("fmul.d", DNegInf, D(2), 0, DNegInf, 0);
        All("fmul.d", DSNaN, DPosZero, 0, DQNaN, NV);
        // (1 + ulp)^2 = 1 + 2 ulp + ulp^2: just above 1 + 2 ulp.
        Modes("fmul.d", DOneUlp, DOneUlp, 0, NX, DOneUlp + 1, DOneUlp + 1, DOneUlp + 1, DOneUlp + 2, DOneUlp + 1);
        Modes("fmul.d", DMax, D(2), 0, OF | NX, DInf, DMax, DMax, DInf, DInf);
        Modes("fmul.d", DMax, D(-2), 0, OF | NX, DNegInf, DMax | DNegZero, DNegInf, DMax | DNegZero, DNegInf);
        // Halving the smallest normal is exact, so tiny but not underflow.
        All("fmul.d", DMinNormal, D(0.5), 0, 0x0008_0000_0000_0000, 0);
        // (1 - 2^-53) * 2^-1022: tiny even rounded at full precision, then a tie at subnormal precision.
        Modes("fmul.d", 0x3FEF_FFFF_FFFF_FFFF, DMinNormal, 0, UF | NX, DMinNormal, DMaxSub, DMaxSub, DMinNormal, DMinNormal);
        // Half the smallest subnormal: a tie between 0 and it.
        Modes("fmul.d", DMinSub, D(0.5), 0, UF | NX, DPosZero, DPosZero, DPosZero, DMinSub, DMinSub);
        Modes("fmul.d", DMinSub, D(-0.5), 0, UF | NX, DNegZero, DNegZero, DMinSub | DNegZero, DNegZero, DMinSub | DNegZero);
        Modes("fmul.d", DMinSub, DMinSub, 0, UF | NX, DPosZero, DPosZero, DPosZero, DMinSub, DPosZero);
        // Subnormal times a large number comes back to the normal range exactly.
        All("fmul.d", DMinSub, D(Math.ScaleB(1, 1000)), 0, D(Math.ScaleB(1, -74)), 0);
        All("fmul.s", S(3), S(5), 0, S(15), 0);
        Modes("fmul.s", SOne + 1, SOne + 1, 0, NX, SOne + 2, SOne + 2, SOne + 2, SOne + 3, SOne + 2);
        Modes("fmul.s", SMinSub, S(0.5f), 0, UF | NX, SPosZero, SPosZero, SPosZero, SMinSub, SMinSub);
        Modes("fmul.s", SMax, S(-2), 0, OF | NX, SNegInf, SMax | 0x8000_0000, SNegInf, SMax | 0x8000_0000, SNegInf);
        All("fmul.s", SInf, SNegZero, 0, SQNaN, NV);

        // ---- divide ---------------------------------------------------------------------
        All("fdiv.d", D(1), D(4), 0, D(0.25), 0);
        // 1/3 = 0x3FD5555555555555 + a third of an ulp.
        Modes("fdiv.d", D(1), D(3), 0, NX, 0x3FD5_5555_5555_5555, 0x3FD5_5555_5555_5555, 0x3FD5_5555_5555_5555,
            0x3FD5_5555_5555_5556, 0x3FD5_5555_5555_5555);
        Modes("fdiv.d", D(-1), D(3), 0, NX, 0xBFD5_5555_5555_5555, 0xBFD5_5555_5555_5555, 0xBFD5_5555_5555_5556,
            0xBFD5_5555_5555_5555, 0xBFD5_5555_5555_5555);
        // 5/3 = 0x3FFAAAAAAAAAAAAA + two thirds of an ulp.
        Modes("fdiv.d", D(5), D(3), 0, NX, 0x3FFA_AAAA_AAAA_AAAB, 0x3FFA_AAAA_AAAA_AAAA, 0x3FFA_AAAA_AAAA_AAAA,
            0x3FFA_AAAA_AAAA_AAAB, 0x3FFA_AAAA_AAAA_AAAB);
        All("fdiv.d", D(1), DPosZero, 0, DInf, DZ);
        All("fdiv.d", D(-1), DPosZero, 0, DNegInf, DZ);
        All("fdiv.d", D(1), DNegZero, 0, DNegInf, DZ);
        All("fdiv.d", DMinSub, DNegZero, 0, DNegInf, DZ);
        All("fdiv.d", DPosZero, DPosZero, 0, DQNaN, NV);
        All("fdiv.d", DInf, DNegInf, 0, DQNaN, NV);
        // Infinity over zero is an exact infinity: no DZ, which is for finite dividends.
        All("fdiv.d", DInf, DPosZero, 0, DInf, 0);
        All("fdiv.d", DPosZero, DNegInf, 0, DNegZero, 0);
        All("fdiv.d", D(7), DInf, 0, DPosZero, 0);
        All("fdiv.d", DQNaN, DPosZero, 0, DQNaN, 0);
        All("fdiv.d", DSNaN, DPosZero, 0, DQNaN, NV);
        Modes("fdiv.d", DMax, D(0.5), 0, OF | NX, DInf, DMax, DMax, DInf, DInf);
        Modes("fdiv.d", DMinNormal, D(3), 0, UF | NX, 0x0005_5555_5555_5555, 0x0005_5555_5555_5555, 0x0005_5555_5555_5555,
            0x0005_5555_5555_5556, 0x0005_5555_5555_5555);
        All("fdiv.d", DMinSub, D(0.5), 0, 2, 0);
        Modes("fdiv.s", S(1), S(3), 0, NX, Sb(0x3EAA_AAAB), Sb(0x3EAA_AAAA), Sb(0x3EAA_AAAA), Sb(0x3EAA_AAAB), Sb(0x3EAA_AAAB));
        All("fdiv.s", S(-2), SPosZero, 0, SNegInf, DZ);
        All("fdiv.s", SNegZero, SNegZero, 0, SQNaN, NV);

        // ---- square root -----------------------------------------------------------------
        All("fsqrt.d", D(4), 0, 0, D(2), 0);
        // sqrt(2) = 1.41421356237309504..., between 0x3FF6A09E667F3BCC and ...CD, nearer CD.
        Modes("fsqrt.d", D(2), 0, 0, NX, 0x3FF6_A09E_667F_3BCD, 0x3FF6_A09E_667F_3BCC, 0x3FF6_A09E_667F_3BCC,
            0x3FF6_A09E_667F_3BCD, 0x3FF6_A09E_667F_3BCD);
        All("fsqrt.d", DNegZero, 0, 0, DNegZero, 0);
        All("fsqrt.d", DPosZero, 0, 0, DPosZero, 0);
        All("fsqrt.d", D(-1), 0, 0, DQNaN, NV);
        All("fsqrt.d", DMinSub | DNegZero, 0, 0, DQNaN, NV);
        All("fsqrt.d", DNegInf, 0, 0, DQNaN, NV);
        All("fsqrt.d", DInf, 0, 0, DInf, 0);
        All("fsqrt.d", DQNaNPayload, 0, 0, DQNaN, 0);
        All("fsqrt.d", DSNaN, 0, 0, DQNaN, NV);
        All("fsqrt.d", DMinSub, 0, 0, D(Math.ScaleB(1, -537)), 0);
        All("fsqrt.d", DMaxSub + 1, 0, 0, D(Math.ScaleB(1, -511)), 0);
        // sqrt(2) in single: 1.41421354 (0x3FB504F3) is below the root.
        Modes("fsqrt.s", S(2), 0, 0, NX, Sb(0x3FB5_04F3), Sb(0x3FB5_04F3), Sb(0x3FB5_04F3), Sb(0x3FB5_04F4), Sb(0x3FB5_04F3));
        All("fsqrt.s", S(-4), 0, 0, SQNaN, NV);
        All("fsqrt.s", SNegZero, 0, 0, SNegZero, 0);
        All("fsqrt.s", SUnboxed, 0, 0, SQNaN, 0);

        // ---- fused multiply-add: one rounding ----------------------------------------------
        All("fmadd.d", D(2), D(3), D(4), D(10), 0);
        All("fmsub.d", D(2), D(3), D(4), D(2), 0);
        All("fnmsub.d", D(2), D(3), D(4), D(-2), 0);
        All("fnmadd.d", D(2), D(3), D(4), D(-10), 0);
        // (1 + 2^-27)(1 - 2^-27) - 1 = -2^-54 exactly; a separate multiply would round the
        // product to 1 and give 0.
        All("fmadd.d", 0x3FF0_0000_0200_0000, 0x3FEF_FFFF_FC00_0000, D(-1), D(-Math.ScaleB(1, -54)), 0);
        // A product beyond the range that the addend brings back: exact.
        All("fmsub.d", DMax, D(2), DMax, DMax, 0);
        // (1 + ulp)^2 + 0 rounds once, as fmul does.
        Modes("fmadd.d", DOneUlp, DOneUlp, DNegZero, NX, DOneUlp + 1, DOneUlp + 1, DOneUlp + 1, DOneUlp + 2, DOneUlp + 1);
        // 1 * 1 + 2^-53 is the fadd tie again.
        Modes("fmadd.d", DOne, DOne, D(Math.ScaleB(1, -53)), NX, DOne, DOne, DOne, DOneUlp, DOneUlp);
        // Exact zero results: +0, or -0 when rounding down.
        Modes("fnmadd.d", D(1), D(1), D(-1), 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        Modes("fmsub.d", D(1), D(1), D(1), 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        Modes("fmadd.d", DPosZero, D(1), DNegZero, 0, DPosZero, DPosZero, DNegZero, DPosZero, DPosZero);
        All("fmadd.d", DNegZero, D(1), DNegZero, DNegZero, 0);
        All("fnmsub.d", DPosZero, D(1), DNegZero, DNegZero, 0);
        All("fmadd.d", DPosZero, D(1), D(3), D(3), 0);
        // The tininess test is applied after rounding. 2^-1022 - 2^-1076: rounded to 53 bits
        // with an unbounded exponent it is 2^-1022 in RNE, RUP and RMM (not tiny: no UF),
        // but below 2^-1022 in RTZ and RDN (tiny and inexact: UF).
        ulong quarter = D(Math.ScaleB(1, -538));
        rows.Add("fnmsub.d", Rne, quarter, quarter, DMinNormal, DMinNormal, NX);
        rows.Add("fnmsub.d", Rtz, quarter, quarter, DMinNormal, DMaxSub, UF | NX);
        rows.Add("fnmsub.d", Rdn, quarter, quarter, DMinNormal, DMaxSub, UF | NX);
        rows.Add("fnmsub.d", Rup, quarter, quarter, DMinNormal, DMinNormal, NX);
        rows.Add("fnmsub.d", Rmm, quarter, quarter, DMinNormal, DMinNormal, NX);
        // A product below the subnormals with a zero addend.
        Modes("fmadd.d", quarter, quarter, DPosZero, UF | NX, DPosZero, DPosZero, DPosZero, DMinSub, DPosZero);
        Modes("fnmadd.d", quarter, quarter, DPosZero, UF | NX, DNegZero, DNegZero, DMinSub | DNegZero, DNegZero, DNegZero);
        // Overflow after the addition.
        Modes("fmadd.d", DMax, D(1), DMax, OF | NX, DInf, DMax, DMax, DInf, DInf);
        // Infinity times zero is invalid even when the addend is a quiet NaN.
        All("fmadd.d", DInf, DPosZero, DQNaN, DQNaN, NV);
        All("fmadd.d", DNegZero, DInf, D(1), DQNaN, NV);
        All("fmadd.d", DInf, D(1), DNegInf, DQNaN, NV);
        All("fmsub.d", DInf, D(1), DInf, DQNaN, NV);
        All("fmadd.d", DInf, D(-1), DNegInf, DNegInf, 0);
        All("fmadd.d", D(1), D(1), DInf, DInf, 0);
        All("fmadd.d", DQNaN, D(1), D(1), DQNaN, 0);
        All("fmadd.d", D(1), D(1), DSNaN, DQNaN, NV);
        All("fnmadd.d", D(1), DSNaNPayload, DQNaN, DQNaN, NV);
        All("fmadd.s", S(2), S(3), S(4), S(10), 0);
        All("fnmadd.s", S(2), S(3), S(4), S(-10), 0);
        // (1 + 2^-12)(1 - 2^-12) - 1 = -2^-24 exactly in single.
        All("fmadd.s", Sb(0x3F80_0800), Sb(0x3F7F_F000), S(-1), S(-MathF.ScaleB(1, -24)), 0);
        Modes("fmsub.s", S(1), S(1), S(1), 0, SPosZero, SPosZero, SNegZero, SPosZero, SPosZero);
        All("fmadd.s", SInf, SPosZero, SQNaN, SQNaN, NV);
        All("fmadd.s", S(1), S(1), SUnboxed, SQNaN, 0);
        Modes("fmadd.s", SMax, S(2), SMax | 0x8000_0000, 0, SMax, SMax, SMax, SMax, SMax);
        // (1 + 2^-23) * 2^-24 (1 - 2^-23) + (1 + 2^-23) = 1 + 2^-23 + 2^-24 - 2^-70: just below
        // the midpoint between 1 + 2^-23 and 1 + 2^-22, but exactly on it once rounded to
        // double, so rounding through double would pick the even neighbour above.
        Modes("fmadd.s", Sb(0x3F80_0001), Sb(0x337F_FFFE), Sb(0x3F80_0001), NX,
            Sb(0x3F80_0001), Sb(0x3F80_0001), Sb(0x3F80_0001), Sb(0x3F80_0002), Sb(0x3F80_0001));
        Modes("fnmadd.s", Sb(0x3F80_0001), Sb(0x337F_FFFE), Sb(0x3F80_0001), NX,
            Sb(0xBF80_0001), Sb(0xBF80_0001), Sb(0xBF80_0002), Sb(0xBF80_0001), Sb(0xBF80_0001));
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RoundsAndFlagsAsIeee754Says(string op, int rm, ulong a, ulong b, ulong c, ulong expected, uint flags) =>
        FloatCase.Check(op, rm, a, b, c, expected, flags);
}
