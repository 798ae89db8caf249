using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>RV64I register-register and register-immediate arithmetic, including the W forms, LUI and AUIPC.</summary>
public sealed class IntegerAluTests
{
    private const ulong Min = 0x8000_0000_0000_0000;
    private const ulong Max = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong NegOne = ulong.MaxValue;

    private static readonly Dictionary<string, Func<int, int, int, uint>> RegisterOps = new()
    {
        ["add"] = Add, ["sub"] = Sub, ["sll"] = Sll, ["slt"] = Slt, ["sltu"] = Sltu, ["xor"] = Xor,
        ["srl"] = Srl, ["sra"] = Sra, ["or"] = Or, ["and"] = And,
        ["addw"] = Addw, ["subw"] = Subw, ["sllw"] = Sllw, ["srlw"] = Srlw, ["sraw"] = Sraw,
    };

    private static readonly Dictionary<string, Func<int, int, int, uint>> ImmediateOps = new()
    {
        ["addi"] = Addi, ["slti"] = Slti, ["sltiu"] = Sltiu, ["xori"] = Xori, ["ori"] = Ori, ["andi"] = Andi,
        ["slli"] = Slli, ["srli"] = Srli, ["srai"] = Srai,
        ["addiw"] = Addiw, ["slliw"] = Slliw, ["srliw"] = Srliw, ["sraiw"] = Sraiw,
    };

    public static TheoryData<string, ulong, ulong, ulong> RegisterRows => new()
    {
        // Overflow wraps; nothing traps.
        { "add", 1, 2, 3 },
        { "add", Max, 1, Min },
        { "add", Min, NegOne, Max },
        { "add", NegOne, NegOne, 0xFFFF_FFFF_FFFF_FFFE },
        { "add", 0x0000_0000_FFFF_FFFF, 1, 0x0000_0001_0000_0000 },
        { "sub", 0, 1, NegOne },
        { "sub", Min, 1, Max },
        { "sub", Max, NegOne, Min },
        { "sub", 3, 3, 0 },
        { "sub", 0x0000_0001_0000_0000, 1, 0x0000_0000_FFFF_FFFF },

        // Signed vs unsigned comparison.
        { "slt", NegOne, 0, 1 },
        { "slt", 0, NegOne, 0 },
        { "slt", Min, Max, 1 },
        { "slt", Max, Min, 0 },
        { "slt", 5, 5, 0 },
        { "slt", Min, NegOne, 1 },
        { "sltu", NegOne, 0, 0 },
        { "sltu", 0, NegOne, 1 },
        { "sltu", Min, Max, 0 },
        { "sltu", Max, Min, 1 },
        { "sltu", 5, 5, 0 },
        { "sltu", 0, 1, 1 },

        { "xor", 0xF0F0_F0F0_F0F0_F0F0, 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0 },
        { "xor", NegOne, Min, Max },
        { "or", 0xF0F0_0000_0000_0000, 0x0000_0000_0F0F_0001, 0xF0F0_0000_0F0F_0001 },
        { "or", 0, 0, 0 },
        { "and", 0xF0F0_F0F0_F0F0_F0F0, 0xFF00_FF00_FF00_FF00, 0xF000_F000_F000_F000 },
        { "and", NegOne, Min, Min },

        // 64-bit shifts use rs2[5:0] only.
        { "sll", 1, 0, 1 },
        { "sll", 1, 1, 2 },
        { "sll", 1, 31, 0x0000_0000_8000_0000 },
        { "sll", 1, 32, 0x0000_0001_0000_0000 },
        { "sll", 1, 63, Min },
        { "sll", 1, 64, 1 },
        { "sll", 1, 0xFFFF_FFFF_FFFF_FFC1, 2 },
        { "sll", 0x8000_0000_0000_0001, 1, 2 },
        { "srl", Min, 0, Min },
        { "srl", Min, 1, 0x4000_0000_0000_0000 },
        { "srl", Min, 31, 0x0000_0001_0000_0000 },
        { "srl", Min, 32, 0x0000_0000_8000_0000 },
        { "srl", Min, 63, 1 },
        { "srl", NegOne, 68, 0x0FFF_FFFF_FFFF_FFFF },
        { "srl", NegOne, 0xFFFF_FFFF_FFFF_FFFF, 1 },
        { "sra", Min, 0, Min },
        { "sra", Min, 1, 0xC000_0000_0000_0000 },
        { "sra", Min, 31, 0xFFFF_FFFF_0000_0000 },
        { "sra", Min, 32, 0xFFFF_FFFF_8000_0000 },
        { "sra", Min, 63, NegOne },
        { "sra", Max, 63, 0 },
        { "sra", Max, 32, 0x0000_0000_7FFF_FFFF },
        { "sra", Min, 0x7F, NegOne },
        { "sra", Min, 0x40, Min },

        // W forms: operate on the low 32 bits and sign-extend bit 31 of the result.
        { "addw", 0x7FFF_FFFF, 1, 0xFFFF_FFFF_8000_0000 },
        { "addw", 0xFFFF_FFFF, 1, 0 },
        { "addw", 0x0000_0001_0000_0001, 0x0000_0002_0000_0002, 3 },
        { "addw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "addw", 0xFFFF_FFFF_7FFF_FFFF, 0, 0x7FFF_FFFF },
        { "subw", 0, 1, NegOne },
        { "subw", 0x8000_0000, 1, 0x7FFF_FFFF },
        { "subw", 0x0000_0001_0000_0000, 0, 0 },
        { "subw", 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_8000_0000 },
        // 32-bit shifts use rs2[4:0] only.
        { "sllw", 1, 0, 1 },
        { "sllw", 1, 31, 0xFFFF_FFFF_8000_0000 },
        { "sllw", 1, 32, 1 },
        { "sllw", 3, 63, 0xFFFF_FFFF_8000_0000 },
        { "sllw", 0xFFFF_FFFF_0000_0001, 0, 1 },
        { "sllw", 0x0000_0000_4000_0000, 1, 0xFFFF_FFFF_8000_0000 },
        { "srlw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "srlw", 0x8000_0000, 1, 0x4000_0000 },
        { "srlw", 0x8000_0000, 31, 1 },
        { "srlw", 0x8000_0000, 32, 0xFFFF_FFFF_8000_0000 },
        { "srlw", 0xFFFF_FFFF_0000_0000, 1, 0 },
        { "srlw", NegOne, 63, 1 },
        { "sraw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "sraw", 0x8000_0000, 1, 0xFFFF_FFFF_C000_0000 },
        { "sraw", 0x8000_0000, 31, NegOne },
        { "sraw", 0x8000_0000, 63, NegOne },
        { "sraw", 0x7FFF_FFFF, 31, 0 },
        { "sraw", 0x0000_0001_0000_0000, 0, 0 },
        { "sraw", 0xFFFF_FFFF_7FFF_FFFF, 32, 0x7FFF_FFFF },
    };

    public static TheoryData<string, ulong, int, ulong> ImmediateRows => new()
    {
        // The 12-bit immediate is sign-extended everywhere, including for sltiu and the logic ops.
        { "addi", Max, 1, Min },
        { "addi", 0, -2048, 0xFFFF_FFFF_FFFF_F800 },
        { "addi", 0, 2047, 2047 },
        { "addi", 1, -1, 0 },
        { "addi", Min, -1, Max },
        { "slti", NegOne, 0, 1 },
        { "slti", 0, -1, 0 },
        { "slti", Min, -2048, 1 },
        { "slti", Max, 2047, 0 },
        { "slti", 2047, 2047, 0 },
        { "sltiu", 0, -1, 1 },
        { "sltiu", 0xFFFF_FFFF_FFFF_FFFE, -1, 1 },
        { "sltiu", NegOne, -1, 0 },
        { "sltiu", 0, 1, 1 },
        { "sltiu", 5, 1, 0 },
        { "sltiu", 2047, -2048, 1 },
        { "xori", 0x1234_5678_9ABC_DEF0, -1, 0xEDCB_A987_6543_210F },
        { "xori", 0xFF, 0x0F, 0xF0 },
        { "xori", 0, -2048, 0xFFFF_FFFF_FFFF_F800 },
        { "ori", 0x1_0000_0000, 0x7FF, 0x1_0000_07FF },
        { "ori", 0, -2048, 0xFFFF_FFFF_FFFF_F800 },
        { "andi", NegOne, -2048, 0xFFFF_FFFF_FFFF_F800 },
        { "andi", NegOne, 0x7FF, 0x7FF },
        { "andi", 0x1234_5678_9ABC_DEF0, 0, 0 },

        { "slli", 1, 0, 1 },
        { "slli", 1, 1, 2 },
        { "slli", 1, 31, 0x8000_0000 },
        { "slli", 1, 32, 0x1_0000_0000 },
        { "slli", 1, 63, Min },
        { "slli", 0xFFFF_FFFF_FFFF_FFFF, 63, Min },
        { "srli", Min, 0, Min },
        { "srli", Min, 1, 0x4000_0000_0000_0000 },
        { "srli", Min, 31, 0x1_0000_0000 },
        { "srli", Min, 32, 0x8000_0000 },
        { "srli", Min, 63, 1 },
        { "srai", Min, 0, Min },
        { "srai", Min, 1, 0xC000_0000_0000_0000 },
        { "srai", Min, 31, 0xFFFF_FFFF_0000_0000 },
        { "srai", Min, 32, 0xFFFF_FFFF_8000_0000 },
        { "srai", Min, 63, NegOne },
        { "srai", Max, 63, 0 },

        { "addiw", 0x7FFF_FFFF, 1, 0xFFFF_FFFF_8000_0000 },
        { "addiw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "addiw", 0xFFFF_FFFF_FFFF_FFFF, 1, 0 },
        { "addiw", 0x1234_5678_0000_0000, -1, NegOne },
        { "addiw", 0, -2048, 0xFFFF_FFFF_FFFF_F800 },
        { "addiw", 0xFFFF_FFFF_7FFF_FFFF, 0, 0x7FFF_FFFF },
        { "slliw", 1, 0, 1 },
        { "slliw", 1, 31, 0xFFFF_FFFF_8000_0000 },
        { "slliw", 0xFFFF_FFFF_0000_0003, 30, 0xFFFF_FFFF_C000_0000 },
        { "slliw", 0x1_0000_0001, 1, 2 },
        { "srliw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "srliw", 0x8000_0000, 1, 0x4000_0000 },
        { "srliw", 0x8000_0000, 31, 1 },
        { "srliw", 0xFFFF_FFFF_0000_0000, 4, 0 },
        { "sraiw", 0x8000_0000, 0, 0xFFFF_FFFF_8000_0000 },
        { "sraiw", 0x8000_0000, 1, 0xFFFF_FFFF_C000_0000 },
        { "sraiw", 0x8000_0000, 31, NegOne },
        { "sraiw", 0x7FFF_FFFF, 31, 0 },
        { "sraiw", 0xFFFF_FFFF_7FFF_FFFF, 0, 0x7FFF_FFFF },
    };

    [Theory]
    [MemberData(nameof(RegisterRows))]
    public void RegisterRegister(string op, ulong a, ulong b, ulong expected)
    {
        using (var m = new TestMachine())
        {
            m[T0] = a;
            m[T1] = b;
            m.RunToEbreak(RegisterOps[op](T2, T0, T1));
            Assert.Equal(expected, m[T2]);
            Assert.Equal(a, m[T0]);
            Assert.Equal(b, m[T1]);
        }

        // rd = rs1 and rd = rs2: the sources are read before the destination is written.
        using (var m = new TestMachine())
        {
            m[T0] = a;
            m[T1] = b;
            m[T2] = a;
            m[T3] = b;
            m.RunToEbreak(RegisterOps[op](T0, T0, T1), RegisterOps[op](T3, T2, T3));
            Assert.Equal(expected, m[T0]);
            Assert.Equal(expected, m[T3]);
        }
    }

    [Theory]
    [MemberData(nameof(ImmediateRows))]
    public void RegisterImmediate(string op, ulong a, int imm, ulong expected)
    {
        using var m = new TestMachine();
        m[A0] = a;
        m[A1] = a;
        m.RunToEbreak(ImmediateOps[op](A2, A0, imm), ImmediateOps[op](A1, A1, imm));
        Assert.Equal(expected, m[A2]);
        Assert.Equal(expected, m[A1]);
        Assert.Equal(a, m[A0]);
    }

    [Theory]
    [InlineData(0x00000, 0x0000_0000_0000_0000)]
    [InlineData(0x00001, 0x0000_0000_0000_1000)]
    [InlineData(0x7FFFF, 0x0000_0000_7FFF_F000)]
    [InlineData(0x80000, 0xFFFF_FFFF_8000_0000)]
    [InlineData(0xFFFFF, 0xFFFF_FFFF_FFFF_F000)]
    [InlineData(0x12345, 0x0000_0000_1234_5000)]
    public void LuiSignExtendsItsImmediate(int imm20, ulong expected)
    {
        using var m = new TestMachine();
        m[A0] = 0xDEAD_BEEF;
        m.RunToEbreak(Lui(A0, imm20));
        Assert.Equal(expected, m[A0]);
    }

    [Theory]
    [InlineData(0x00000, 0x0000_0000_0000_0000)]
    [InlineData(0x00001, 0x0000_0000_0000_1000)]
    [InlineData(0x7FFFF, 0x0000_0000_7FFF_F000)]
    [InlineData(0x80000, 0xFFFF_FFFF_8000_0000)]
    [InlineData(0xFFFFF, 0xFFFF_FFFF_FFFF_F000)]
    public void AuipcAddsTheSignExtendedImmediateToItsOwnPc(int imm20, ulong offset)
    {
        using var m = new TestMachine();
        // The second auipc checks that pc is the auipc's own address, not the start of the run.
        m.RunToEbreak(Auipc(A0, imm20), Auipc(A1, imm20));
        Assert.Equal(TestMachine.CodeBase + offset, m[A0]);
        Assert.Equal(TestMachine.CodeBase + 4 + offset, m[A1]);
    }

    [Fact]
    public void LuiThenAddiBuildsA32BitConstant()
    {
        using var m = new TestMachine();
        // The usual li expansion: the addi's negative immediate borrows from the lui part.
        m.RunToEbreak(Lui(A0, 0x12346), Addi(A0, A0, -0x766));
        Assert.Equal(0x1234_589AUL, m[A0]);
    }
}
