using static Osprey.Machine.Tests.Float.FloatValues;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// The instructions that do not round: compares (feq quiet, flt and fle signalling), fmin and
/// fmax (IEEE 754-2019 minimumNumber and maximumNumber, -0 below +0), fclass, sign injection
/// and the moves, with the NaN-boxing rules for singles: sign injection, min/max, compares
/// and fclass read an unboxed single as the canonical NaN, while fmv.x.w takes the low bits.
/// </summary>
public sealed class NonArithmeticTests
{
    public static TheoryData<string, ulong, ulong, ulong, uint> Rows() => new()
    {
        // ---- compares -------------------------------------------------------------------
        { "feq.d", D(1), D(1), 1, 0 },
        { "feq.d", D(1), D(2), 0, 0 },
        { "feq.d", DPosZero, DNegZero, 1, 0 },
        { "feq.d", DQNaN, DQNaN, 0, 0 },
        { "feq.d", DQNaNPayload, D(1), 0, 0 },
        { "feq.d", DSNaN, D(1), 0, NV },
        { "feq.d", D(1), DSNaNPayload, 0, NV },
        { "feq.d", DInf, DInf, 1, 0 },
        { "flt.d", D(1), D(2), 1, 0 },
        { "flt.d", D(2), D(1), 0, 0 },
        { "flt.d", D(-2), D(-1), 1, 0 },
        { "flt.d", DNegZero, DPosZero, 0, 0 },
        { "flt.d", DNegInf, DInf, 1, 0 },
        { "flt.d", DMinSub | DNegZero, DNegZero, 1, 0 },
        { "flt.d", DQNaN, D(1), 0, NV },
        { "flt.d", D(1), DQNaN, 0, NV },
        { "flt.d", DSNaN, DSNaN, 0, NV },
        { "fle.d", DNegZero, DPosZero, 1, 0 },
        { "fle.d", D(1), D(1), 1, 0 },
        { "fle.d", D(3), D(1), 0, 0 },
        { "fle.d", DMax, DInf, 1, 0 },
        { "fle.d", DQNaN, DQNaN, 0, NV },
        { "feq.s", S(1.5f), S(1.5f), 1, 0 },
        { "feq.s", SPosZero, SNegZero, 1, 0 },
        { "feq.s", SSNaN, S(0), 0, NV },
        { "feq.s", SUnboxed, SUnboxed, 0, 0 },
        { "flt.s", S(-1), S(1), 1, 0 },
        { "flt.s", SQNaN, S(1), 0, NV },
        { "flt.s", SUnboxed, S(1), 0, NV },
        { "fle.s", SMinSub, SMinSub, 1, 0 },
        { "fle.s", S(2), S(1), 0, 0 },

        // ---- min and max ------------------------------------------------------------------
        { "fmin.d", D(1), D(2), D(1), 0 },
        { "fmax.d", D(1), D(2), D(2), 0 },
        { "fmin.d", D(-1), D(-2), D(-2), 0 },
        { "fmin.d", DPosZero, DNegZero, DNegZero, 0 },
        { "fmin.d", DNegZero, DPosZero, DNegZero, 0 },
        { "fmax.d", DNegZero, DPosZero, DPosZero, 0 },
        { "fmax.d", DPosZero, DNegZero, DPosZero, 0 },
        { "fmin.d", DQNaN, D(3), D(3), 0 },
        { "fmax.d", D(3), DQNaNPayload, D(3), 0 },
        { "fmin.d", DSNaN, D(3), D(3), NV },
        { "fmax.d", D(-3), DSNaNPayload, D(-3), NV },
        { "fmin.d", DQNaNPayload, DQNaNPayload, DQNaN, 0 },
        { "fmax.d", DSNaN, DQNaN, DQNaN, NV },
        { "fmin.d", DNegInf, DMax, DNegInf, 0 },
        { "fmax.d", DNegInf, DInf, DInf, 0 },
        { "fmin.s", S(1), S(-1), S(-1), 0 },
        { "fmax.s", SNegZero, SPosZero, SPosZero, 0 },
        { "fmin.s", SPosZero, SNegZero, SNegZero, 0 },
        { "fmin.s", SQNaN, S(2), S(2), 0 },
        { "fmax.s", SSNaN, S(2), S(2), NV },
        { "fmax.s", SQNaNPayload, SSNaN, SQNaN, NV },
        { "fmin.s", SUnboxed, S(5), S(5), 0 },
        { "fmax.s", SUnboxed, SUnboxed, SQNaN, 0 },

        // ---- classify: one bit per class ---------------------------------------------------
        { "fclass.d", DNegInf, 0, 1 << 0, 0 },
        { "fclass.d", D(-1), 0, 1 << 1, 0 },
        { "fclass.d", DMaxSub | DNegZero, 0, 1 << 2, 0 },
        { "fclass.d", DNegZero, 0, 1 << 3, 0 },
        { "fclass.d", DPosZero, 0, 1 << 4, 0 },
        { "fclass.d", DMinSub, 0, 1 << 5, 0 },
        { "fclass.d", DMinNormal, 0, 1 << 6, 0 },
        { "fclass.d", DInf, 0, 1 << 7, 0 },
        { "fclass.d", DSNaN, 0, 1 << 8, 0 },
        { "fclass.d", DSNaNPayload, 0, 1 << 8, 0 },
        { "fclass.d", DQNaN, 0, 1 << 9, 0 },
        { "fclass.d", DQNaNPayload, 0, 1 << 9, 0 },
        { "fclass.s", SNegInf, 0, 1 << 0, 0 },
        { "fclass.s", S(-3), 0, 1 << 1, 0 },
        { "fclass.s", SMinSub | 0x8000_0000, 0, 1 << 2, 0 },
        { "fclass.s", SNegZero, 0, 1 << 3, 0 },
        { "fclass.s", SPosZero, 0, 1 << 4, 0 },
        { "fclass.s", SMaxSub, 0, 1 << 5, 0 },
        { "fclass.s", SMax, 0, 1 << 6, 0 },
        { "fclass.s", SInf, 0, 1 << 7, 0 },
        { "fclass.s", SSNaN, 0, 1 << 8, 0 },
        { "fclass.s", SQNaN, 0, 1 << 9, 0 },
        { "fclass.s", SUnboxed, 0, 1 << 9, 0 },
        { "fclass.s", 0xFFFF_FFFE_0000_0000, 0, 1 << 9, 0 },

        // ---- sign injection: bits only, NaNs untouched and no flags -----------------------
        { "fsgnj.d", D(1), D(-2), D(-1), 0 },
        { "fsgnj.d", D(-1), D(2), D(1), 0 },
        { "fsgnjn.d", D(1), D(-2), D(1), 0 },
        { "fsgnjn.d", D(1), D(2), D(-1), 0 },
        { "fsgnjx.d", D(-1), D(-2), D(1), 0 },
        { "fsgnjx.d", D(-1), D(2), D(-1), 0 },
        { "fsgnj.d", DSNaN, DNegZero, DSNaN | DNegZero, 0 },
        { "fsgnjn.d", DQNaNPayload, DQNaNPayload, DQNaNPayload & ~DNegZero, 0 },
        { "fsgnj.s", S(1), S(-2), S(-1), 0 },
        { "fsgnjn.s", S(3), S(3), S(-3), 0 },
        { "fsgnjx.s", S(-3), S(-3), S(3), 0 },
        { "fsgnj.s", SSNaN, SNegZero, SSNaN | 0x8000_0000, 0 },
        // An unboxed operand reads as the canonical NaN: its sign, or its magnitude.
        { "fsgnj.s", S(2), SUnboxed, S(2), 0 },
        { "fsgnjn.s", SUnboxed, SUnboxed, Sb(0xFFC0_0000), 0 },
        { "fsgnj.s", SUnboxed, SNegZero, Sb(0xFFC0_0000), 0 },

        // ---- moves: no boxing checks, no flags --------------------------------------------
        { "fmv.x.w", 0x1234_5678_8765_4321, 0, 0xFFFF_FFFF_8765_4321, 0 },
        { "fmv.x.w", 0xFFFF_FFFF_7FFF_FFFF, 0, 0x7FFF_FFFF, 0 },
        { "fmv.x.d", DSNaNPayload, 0, DSNaNPayload, 0 },
        { "fmv.w.x", 0x1234_5678_9ABC_DEF0, 0, 0xFFFF_FFFF_9ABC_DEF0, 0 },
        { "fmv.w.x", 0x7F80_0001, 0, SSNaN, 0 },
        { "fmv.d.x", 0x0123_4567_89AB_CDEF, 0, 0x0123_4567_89AB_CDEF, 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void BehavesAsTheSpecificationSays(string op, ulong a, ulong b, ulong expected, uint flags) =>
        FloatCase.Check(op, Dyn, a, b, 0, expected, flags);
}
