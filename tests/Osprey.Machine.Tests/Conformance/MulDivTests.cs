using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// The M extension. Division never traps: the specification defines x/0 (quotient all ones,
/// remainder the dividend) and MIN/-1 (quotient MIN, remainder 0), for the W forms on the low
/// 32 bits with the result sign-extended.
/// </summary>
public sealed class MulDivTests
{
    private const ulong Min = 0x8000_0000_0000_0000;
    private const ulong Max = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong NegOne = ulong.MaxValue;

    private static readonly Dictionary<string, Func<int, int, int, uint>> Ops = new()
    {
        ["mul"] = Mul, ["mulh"] = Mulh, ["mulhsu"] = Mulhsu, ["mulhu"] = Mulhu,
        ["div"] = Div, ["divu"] = Divu, ["rem"] = Rem, ["remu"] = Remu,
        ["mulw"] = Mulw, ["divw"] = Divw, ["divuw"] = Divuw, ["remw"] = Remw, ["remuw"] = Remuw,
    };

    public static TheoryData<string, ulong, ulong, ulong> Rows => new()
    {
        { "mul", 6, 7, 42 },
        { "mul", Min, NegOne, Min },
        { "mul", Max, Max, 1 },
        { "mul", NegOne, NegOne, 1 },
        { "mul", 0x1_0000_0000, 0x1_0000_0000, 0 },
        { "mul", 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFE_0000_0001 },
        { "mul", NegOne, 5, 0xFFFF_FFFF_FFFF_FFFB },

        // High halves of the 128-bit product, signed x signed.
        { "mulh", Min, Min, 0x4000_0000_0000_0000 },
        { "mulh", NegOne, NegOne, 0 },
        { "mulh", Min, NegOne, 0 },
        { "mulh", Max, Max, 0x3FFF_FFFF_FFFF_FFFF },
        { "mulh", NegOne, 1, NegOne },
        { "mulh", Min, Max, 0xC000_0000_0000_0000 },
        { "mulh", 0x1_0000_0000, 0x1_0000_0000, 1 },
        { "mulh", 5, 7, 0 },
        // unsigned x unsigned.
        { "mulhu", NegOne, NegOne, 0xFFFF_FFFF_FFFF_FFFE },
        { "mulhu", Min, 2, 1 },
        { "mulhu", NegOne, 1, 0 },
        { "mulhu", Min, Min, 0x4000_0000_0000_0000 },
        { "mulhu", 0x1_0000_0000, 0x1_0000_0000, 1 },
        // signed rs1 x unsigned rs2.
        { "mulhsu", NegOne, NegOne, NegOne },
        { "mulhsu", Min, NegOne, Min },
        { "mulhsu", 1, NegOne, 0 },
        { "mulhsu", NegOne, 1, NegOne },
        { "mulhsu", Max, Min, 0x3FFF_FFFF_FFFF_FFFF },
        { "mulhsu", Min, Min, 0xC000_0000_0000_0000 },
        { "mulhsu", NegOne, 0, 0 },
        { "mulhsu", 2, NegOne, 1 },

        // Division truncates toward zero; the remainder takes the dividend's sign.
        { "div", 7, 2, 3 },
        { "div", unchecked((ulong)-7L), 2, unchecked((ulong)-3L) },
        { "div", 7, unchecked((ulong)-2L), unchecked((ulong)-3L) },
        { "div", unchecked((ulong)-7L), unchecked((ulong)-2L), 3 },
        { "div", Min, NegOne, Min },
        { "div", 42, 0, NegOne },
        { "div", Min, 0, NegOne },
        { "div", 0, 0, NegOne },
        { "div", Min, 1, Min },
        { "divu", 7, 2, 3 },
        { "divu", NegOne, 2, Max },
        { "divu", Min, NegOne, 0 },
        { "divu", 42, 0, NegOne },
        { "divu", 0, 0, NegOne },
        { "rem", 7, 2, 1 },
        { "rem", unchecked((ulong)-7L), 2, NegOne },
        { "rem", 7, unchecked((ulong)-2L), 1 },
        { "rem", unchecked((ulong)-7L), unchecked((ulong)-2L), NegOne },
        { "rem", Min, NegOne, 0 },
        { "rem", 42, 0, 42 },
        { "rem", Min, 0, Min },
        { "remu", 7, 2, 1 },
        { "remu", NegOne, 10, 5 },
        { "remu", Min, NegOne, Min },
        { "remu", 42, 0, 42 },
        { "remu", NegOne, 0, NegOne },

        // W forms read only the low 32 bits and sign-extend the 32-bit result.
        { "mulw", 6, 7, 42 },
        { "mulw", 0x7FFF_FFFF, 2, 0xFFFF_FFFF_FFFF_FFFE },
        { "mulw", 0x1_0000_0003, 0x1_0000_0005, 15 },
        { "mulw", 0x1_0000, 0x1_0000, 0 },
        { "mulw", 0x8000, 0x1_0000, 0xFFFF_FFFF_8000_0000 },
        { "mulw", NegOne, NegOne, 1 },
        { "divw", 0x8000_0000, NegOne, 0xFFFF_FFFF_8000_0000 },
        { "divw", 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFF_8000_0000 },
        { "divw", 42, 0, NegOne },
        { "divw", 42, 0x1_0000_0000, NegOne },
        { "divw", 0xFFFF_FFFF_0000_0007, 2, 3 },
        { "divw", 0xFFFF_FFF9, 2, unchecked((ulong)-3L) },
        { "divuw", 42, 0, NegOne },
        { "divuw", 0xFFFF_FFFF, 1, NegOne },
        { "divuw", 0x8000_0000, NegOne, 0 },
        { "divuw", 0x1_0000_000A, 0x1_0000_0002, 5 },
        { "divuw", 0xFFFF_FFFE, 2, 0x7FFF_FFFF },
        { "remw", 0x8000_0000, NegOne, 0 },
        { "remw", 0x1_8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "remw", 0x1_0000_0005, 0, 5 },
        { "remw", 0xFFFF_FFF9, 2, NegOne },
        { "remw", 7, 0xFFFF_FFFE, 1 },
        { "remuw", 0x1_8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "remuw", 0xFFFF_FFFF, 0x10, 0xF },
        { "remuw", 0x9_0000_0007, 3, 1 },
        { "remuw", 0x8000_0001, 0x1_0000_0000, 0xFFFF_FFFF_8000_0001 },
        { "remuw", 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void ComputesTheSpecifiedResult(string op, ulong a, ulong b, ulong expected)
    {
        using var m = new TestMachine();
        m[A0] = a;
        m[A1] = b;
        m[A3] = a;
        m.RunToEbreak(Ops[op](A2, A0, A1), Ops[op](A3, A3, A1));
        Assert.Equal(expected, m[A2]);
        Assert.Equal(expected, m[A3]);
    }
}
