using static Osprey.Machine.Tests.Float.FloatValues;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// Every fcvt: float to integer with the specification's saturation (a NaN converts as if
/// positive, and an out-of-range or infinite value gives the nearest representable integer
/// with NV alone), integer to float with rounding, and between the two formats (NaNs become
/// the canonical NaN). 32-bit integer results are sign-extended, as RV64 writes them; W
/// sources read only the low 32 bits of the register.
/// </summary>
public sealed class ConversionTests
{
    private const ulong IntMin = 0xFFFF_FFFF_8000_0000, IntMax = 0x7FFF_FFFF, UintMax = ulong.MaxValue;
    private const ulong LongMin = 0x8000_0000_0000_0000, LongMax = 0x7FFF_FFFF_FFFF_FFFF;

    public static TheoryData<string, int, ulong, ulong, ulong, ulong, uint> Rows()
    {
        var rows = new TheoryData<string, int, ulong, ulong, ulong, ulong, uint>();
        void All(string op, ulong a, ulong result, uint flags)
        {
            for (int rm = Rne; rm <= Rmm; rm++)
                rows.Add(op, rm, a, 0, 0, result, flags);
        }
        void Modes(string op, ulong a, uint flags, ulong rne, ulong rtz, ulong rdn, ulong rup, ulong rmm)
        {
            rows.Add(op, Rne, a, 0, 0, rne, flags);
            rows.Add(op, Rtz, a, 0, 0, rtz, flags);
            rows.Add(op, Rdn, a, 0, 0, rdn, flags);
            rows.Add(op, Rup, a, 0, 0, rup, flags);
            rows.Add(op, Rmm, a, 0, 0, rmm, flags);
        }
        // Where the flags depend on the mode: (result, flags) for RNE, RTZ, RDN, RUP, RMM.
        void Each(string op, ulong a, params (ulong Result, uint Flags)[] byMode)
        {
            for (int rm = Rne; rm <= Rmm; rm++)
                rows.Add(op, rm, a, 0, 0, byMode[rm].Result, byMode[rm].Flags);
        }
        static ulong I(long v) => (ulong)v;

        // ---- double to integer -------------------------------------------------------------
        Modes("fcvt.w.d", D(1.5), NX, 2, 1, 1, 2, 2);
        Modes("fcvt.w.d", D(-1.5), NX, I(-2), I(-1), I(-2), I(-1), I(-2));
        Modes("fcvt.w.d", D(2.5), NX, 2, 2, 2, 3, 3);
        Modes("fcvt.w.d", D(-2.5), NX, I(-2), I(-2), I(-3), I(-2), I(-3));
        Modes("fcvt.w.d", D(0.3), NX, 0, 0, 0, 1, 0);
        Modes("fcvt.w.d", D(-0.3), NX, 0, 0, I(-1), 0, 0);
        Modes("fcvt.w.d", DMinSub, NX, 0, 0, 0, 1, 0);
        All("fcvt.w.d", D(-7), I(-7), 0);
        All("fcvt.w.d", DNegZero, 0, 0);
        All("fcvt.w.d", D(2147483647), IntMax, 0);
        All("fcvt.w.d", D(-2147483648), IntMin, 0);
        // Out of range after rounding: NV, not NX, and the nearest representable value.
        All("fcvt.w.d", D(2147483648), IntMax, NV);
        All("fcvt.w.d", D(-2147483649), IntMin, NV);
        Each("fcvt.w.d", D(2147483647.5), (IntMax, NV), (IntMax, NX), (IntMax, NX), (IntMax, NV), (IntMax, NV));
        Each("fcvt.w.d", D(-2147483648.5), (IntMin, NX), (IntMin, NX), (IntMin, NV), (IntMin, NX), (IntMin, NV));
        All("fcvt.w.d", DInf, IntMax, NV);
        All("fcvt.w.d", DNegInf, IntMin, NV);
        All("fcvt.w.d", DQNaN, IntMax, NV);
        All("fcvt.w.d", DQNaNPayload, IntMax, NV);
        All("fcvt.w.d", DSNaN, IntMax, NV);
        All("fcvt.w.d", DMax, IntMax, NV);
        // Unsigned: a negative value that rounds to zero is fine (NX), one that does not is NV.
        All("fcvt.wu.d", D(3), 3, 0);
        All("fcvt.wu.d", D(4294967295), UintMax, 0);
        All("fcvt.wu.d", D(2147483648), 0xFFFF_FFFF_8000_0000, 0);
        All("fcvt.wu.d", D(4294967296), UintMax, NV);
        All("fcvt.wu.d", D(-1), 0, NV);
        Each("fcvt.wu.d", D(-0.5), (0, NX), (0, NX), (0, NV), (0, NX), (0, NV));
        Each("fcvt.wu.d", D(-0.25), (0, NX), (0, NX), (0, NV), (0, NX), (0, NX));
        Each("fcvt.wu.d", D(-0.7), (0, NV), (0, NX), (0, NV), (0, NX), (0, NV));
        All("fcvt.wu.d", DNegZero, 0, 0);
        All("fcvt.wu.d", DNegInf, 0, NV);
        All("fcvt.wu.d", DInf, UintMax, NV);
        All("fcvt.wu.d", DQNaN, UintMax, NV);
        Modes("fcvt.l.d", D(-2.5), NX, I(-2), I(-2), I(-3), I(-2), I(-3));
        All("fcvt.l.d", D(9007199254740993.0), 9007199254740992, 0);
        All("fcvt.l.d", D(-9223372036854775808.0), LongMin, 0);
        All("fcvt.l.d", 0x43DF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FC00, 0);
        All("fcvt.l.d", D(9223372036854775808.0), LongMax, NV);
        All("fcvt.l.d", 0xC3E0_0000_0000_0001, LongMin, NV);
        All("fcvt.l.d", DNegInf, LongMin, NV);
        All("fcvt.l.d", DSNaNPayload, LongMax, NV);
        Modes("fcvt.l.d", DMinSub | DNegZero, NX, 0, 0, I(-1), 0, 0);
        All("fcvt.lu.d", 0x43EF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_F800, 0);
        All("fcvt.lu.d", D(18446744073709551616.0), UintMax, NV);
        All("fcvt.lu.d", D(9223372036854775808.0), LongMin, 0);
        All("fcvt.lu.d", D(-3), 0, NV);
        Each("fcvt.lu.d", D(-0.5), (0, NX), (0, NX), (0, NV), (0, NX), (0, NV));
        Each("fcvt.lu.d", DMinSub | DNegZero, (0, NX), (0, NX), (0, NV), (0, NX), (0, NX));
        All("fcvt.lu.d", DQNaN, UintMax, NV);
        All("fcvt.lu.d", DNegInf, 0, NV);

        // ---- single to integer -------------------------------------------------------------
        Modes("fcvt.w.s", S(1.5f), NX, 2, 1, 1, 2, 2);
        Modes("fcvt.w.s", S(-0.5f), NX, 0, 0, I(-1), 0, I(-1));
        All("fcvt.w.s", Sb(0x4F00_0000), IntMax, NV); // 2^31
        All("fcvt.w.s", Sb(0xCF00_0000), IntMin, 0); // -2^31
        All("fcvt.w.s", SQNaN, IntMax, NV);
        All("fcvt.w.s", SNegInf, IntMin, NV);
        All("fcvt.w.s", SUnboxed, IntMax, NV); // the canonical NaN
        All("fcvt.wu.s", Sb(0x4F7F_FFFF), 0xFFFF_FFFF_FFFF_FF00, 0); // 2^32 - 256
        All("fcvt.wu.s", Sb(0x4F80_0000), UintMax, NV); // 2^32
        All("fcvt.wu.s", S(-1), 0, NV);
        All("fcvt.l.s", Sb(0xDF00_0000), LongMin, 0);
        All("fcvt.l.s", Sb(0x5F00_0000), LongMax, NV);
        All("fcvt.l.s", S(-12345.0f), I(-12345), 0);
        All("fcvt.lu.s", Sb(0x5F7F_FFFF), 0xFFFF_FF00_0000_0000, 0);
        All("fcvt.lu.s", SInf, UintMax, NV);
        Modes("fcvt.lu.s", SMinSub, NX, 0, 0, 0, 1, 0);

        // ---- integer to double -------------------------------------------------------------
        All("fcvt.d.w", I(-1), D(-1), 0);
        All("fcvt.d.w", 0xFFFF_FFFF_0000_0005, D(5), 0); // only the low 32 bits
        All("fcvt.d.w", 0x8000_0000, D(-2147483648), 0);
        All("fcvt.d.wu", 0x8000_0000, D(2147483648), 0);
        All("fcvt.d.wu", UintMax, D(4294967295), 0);
        All("fcvt.d.l", 0, DPosZero, 0);
        All("fcvt.d.l", LongMin, D(-9223372036854775808.0), 0);
        // 2^53 + 1: a tie between 2^53 and 2^53 + 2.
        Modes("fcvt.d.l", (1UL << 53) + 1, NX, D(9007199254740992.0), D(9007199254740992.0), D(9007199254740992.0),
            D(9007199254740994.0), D(9007199254740994.0));
        Modes("fcvt.d.l", I(-(1L << 53) - 1), NX, D(-9007199254740992.0), D(-9007199254740992.0), D(-9007199254740994.0),
            D(-9007199254740992.0), D(-9007199254740994.0));
        Modes("fcvt.d.l", LongMax, NX, D(9223372036854775808.0), 0x43DF_FFFF_FFFF_FFFF, 0x43DF_FFFF_FFFF_FFFF,
            D(9223372036854775808.0), D(9223372036854775808.0));
        Modes("fcvt.d.lu", UintMax, NX, D(18446744073709551616.0), 0x43EF_FFFF_FFFF_FFFF, 0x43EF_FFFF_FFFF_FFFF,
            D(18446744073709551616.0), D(18446744073709551616.0));
        All("fcvt.d.lu", LongMin, D(9223372036854775808.0), 0);

        // ---- integer to single -------------------------------------------------------------
        // 2^24 + 1: a tie between 2^24 and 2^24 + 2.
        Modes("fcvt.s.w", (1UL << 24) + 1, NX, S(16777216), S(16777216), S(16777216), S(16777218), S(16777218));
        Modes("fcvt.s.w", I(-(1L << 24) - 3), NX, S(-16777220), S(-16777218), S(-16777220), S(-16777218), S(-16777220));
        All("fcvt.s.w", 0x1_0000_0001, SOne, 0);
        Modes("fcvt.s.wu", UintMax, NX, Sb(0x4F80_0000), Sb(0x4F7F_FFFF), Sb(0x4F7F_FFFF), Sb(0x4F80_0000), Sb(0x4F80_0000));
        All("fcvt.s.wu", 0, SPosZero, 0);
        Modes("fcvt.s.l", LongMin + 1, NX, Sb(0xDF00_0000), Sb(0xDEFF_FFFF), Sb(0xDF00_0000), Sb(0xDEFF_FFFF), Sb(0xDF00_0000));
        Modes("fcvt.s.lu", UintMax, NX, Sb(0x5F80_0000), Sb(0x5F7F_FFFF), Sb(0x5F7F_FFFF), Sb(0x5F80_0000), Sb(0x5F80_0000));
        All("fcvt.s.l", I(-3), S(-3), 0);

        // ---- between the formats -----------------------------------------------------------
        // 1 + 2^-24 is a tie in single precision.
        Modes("fcvt.s.d", 0x3FF0_0000_1000_0000, NX, SOne, SOne, SOne, SOne + 1, SOne + 1);
        Modes("fcvt.s.d", D(-1.0 - Math.ScaleB(1, -24)), NX, S(-1), S(-1), Sb(0xBF80_0001), S(-1), Sb(0xBF80_0001));
        Modes("fcvt.s.d", DMax, OF | NX, SInf, SMax, SMax, SInf, SInf);
        Modes("fcvt.s.d", D(-3.5e38), OF | NX, SNegInf, SMax | 0x8000_0000, SNegInf, SMax | 0x8000_0000, SNegInf);
        // 2^-150 is half the smallest single subnormal.
        Modes("fcvt.s.d", D(Math.ScaleB(1, -150)), UF | NX, SPosZero, SPosZero, SPosZero, SMinSub, SMinSub);
        Modes("fcvt.s.d", DMinSub, UF | NX, SPosZero, SPosZero, SPosZero, SMinSub, SPosZero);
        All("fcvt.s.d", D(Math.ScaleB(1, -149)), SMinSub, 0);
        All("fcvt.s.d", D(1.5), S(1.5f), 0);
        All("fcvt.s.d", DNegZero, SNegZero, 0);
        All("fcvt.s.d", DNegInf, SNegInf, 0);
        All("fcvt.s.d", DQNaNPayload, SQNaN, 0);
        All("fcvt.s.d", DSNaN, SQNaN, NV);
        All("fcvt.d.s", SMinSub, D(Math.ScaleB(1, -149)), 0);
        All("fcvt.d.s", SMax, D(float.MaxValue), 0);
        All("fcvt.d.s", S(-0.1f), D(-0.1f), 0);
        All("fcvt.d.s", SNegZero, DNegZero, 0);
        All("fcvt.d.s", SInf, DInf, 0);
        All("fcvt.d.s", SQNaNPayload, DQNaN, 0);
        All("fcvt.d.s", SSNaN, DQNaN, NV);
        All("fcvt.d.s", SUnboxed, DQNaN, 0);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvertsAsTheSpecificationSays(string op, int rm, ulong a, ulong b, ulong c, ulong expected, uint flags) =>
        FloatCase.Check(op, rm, a, b, c, expected, flags);
}
