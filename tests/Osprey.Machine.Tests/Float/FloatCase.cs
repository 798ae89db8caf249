using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// Runs one F or D instruction on a fresh hart: operands in f1, f2, f3 (or x11 when the
/// source is an integer), the result in f10 (or x10). A row with a static rounding mode runs
/// with an invalid mode in frm (which it must ignore) and again with rm = dyn and its mode in
/// frm, so both ways of choosing the mode are checked by every row.
/// </summary>
internal static class FloatCase
{
    public const int Rd = 10, Rs1 = 1, Rs2 = 2, Rs3 = 3, IntegerSource = 11;

    /// <summary>Checks a row: the destination's value and exactly the flags raised.</summary>
    public static void Check(string mnemonic, int rm, ulong a, ulong b, ulong c, ulong expected, uint flags)
    {
        string row = $"{mnemonic} rm={rm} (0x{a:x16}, 0x{b:x16}, 0x{c:x16})";
        // A static mode (or an instruction without one) must not look at frm: run it with frm invalid.
        bool dynamic = rm == Dyn && HasRoundingMode(mnemonic);
        Expect(row, Run(mnemonic, rm, frm: dynamic ? 0 : 5 + rm % 3, a, b, c), expected, flags);
        if (rm is >= 0 and <= 4 && HasRoundingMode(mnemonic))
            Expect(row + " as dyn", Run(mnemonic, Dyn, frm: rm, a, b, c), expected, flags);
    }

    public static bool HasRoundingMode(string mnemonic)
    {
        string op = mnemonic.Split('.')[0];
        return op is "fadd" or "fsub" or "fmul" or "fdiv" or "fsqrt" or "fmadd" or "fmsub" or "fnmsub" or "fnmadd" or "fcvt";
    }

    public static bool WritesInteger(string mnemonic) =>
        mnemonic.StartsWith("fcvt.w", StringComparison.Ordinal) || mnemonic.StartsWith("fcvt.l", StringComparison.Ordinal)
        || mnemonic.StartsWith("fmv.x.", StringComparison.Ordinal) || mnemonic.StartsWith("feq", StringComparison.Ordinal)
        || mnemonic.StartsWith("flt", StringComparison.Ordinal) || mnemonic.StartsWith("fle", StringComparison.Ordinal)
        || mnemonic.StartsWith("fclass", StringComparison.Ordinal);

    public static bool ReadsInteger(string mnemonic)
    {
        string[] p = mnemonic.Split('.');
        return (p[0] == "fcvt" && p[2] is "w" or "wu" or "l" or "lu") || (p[0] == "fmv" && p[2] == "x");
    }

    private static (ulong Result, uint Flags) Run(string mnemonic, int rm, int frm, ulong a, ulong b, ulong c)
    {
        using var m = new TestMachine();
        bool integerSource = ReadsInteger(mnemonic);
        m.Hart.SetFloatRegister(Rs1, a);
        m.Hart.SetFloatRegister(Rs2, b);
        m.Hart.SetFloatRegister(Rs3, c);
        m[IntegerSource] = a;
        const ulong Untouched = 0x5555_5555_5555_5555;
        m.Hart.SetFloatRegister(Rd, Untouched);
        m[Rd] = Untouched;
        m.Hart.Fcsr = (uint)frm << 5;
        m.RunToEbreak(Fp(mnemonic, Rd, integerSource ? IntegerSource : Rs1, Rs2, Rs3, rm));
        Assert.True((m.Hart.Fcsr >> 5) == (uint)frm, $"{mnemonic}: frm changed to {m.Hart.Fcsr >> 5}");
        bool integerResult = WritesInteger(mnemonic);
        Assert.Equal(Untouched, integerResult ? m.Hart.GetFloatRegister(Rd) : m[Rd]);
        return (integerResult ? m[Rd] : m.Hart.GetFloatRegister(Rd), m.Hart.Fcsr & 31);
    }

    private static void Expect(string row, (ulong Result, uint Flags) actual, ulong expected, uint flags)
    {
        if (actual.Result != expected || actual.Flags != flags)
            Assert.Fail($"{row}: expected 0x{expected:x16} {FlagNames(flags)}, got 0x{actual.Result:x16} {FlagNames(actual.Flags)}");
    }

    public static string FlagNames(uint flags)
    {
        var names = new List<string>();
        if ((flags & NV) != 0) names.Add("NV");
        if ((flags & DZ) != 0) names.Add("DZ");
        if ((flags & OF) != 0) names.Add("OF");
        if ((flags & UF) != 0) names.Add("UF");
        if ((flags & NX) != 0) names.Add("NX");
        return names.Count == 0 ? "(no flags)" : string.Join('|', names);
    }
}
