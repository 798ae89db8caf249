using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>JAL, JALR and the six conditional branches.</summary>
public sealed class ControlFlowTests
{
    private const ulong Min = 0x8000_0000_0000_0000;
    private const ulong Max = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong NegOne = ulong.MaxValue;
    private const ulong Code = TestMachine.CodeBase;

    private static readonly Dictionary<string, Func<int, int, int, uint>> Branches = new()
    {
        ["beq"] = Beq, ["bne"] = Bne, ["blt"] = Blt, ["bge"] = Bge, ["bltu"] = Bltu, ["bgeu"] = Bgeu,
    };

    public static TheoryData<string, ulong, ulong, bool> BranchRows => new()
    {
        { "beq", 0, 0, true },
        { "beq", 1, 0, false },
        { "beq", NegOne, NegOne, true },
        { "beq", Min, 0, false },
        { "beq", 0x1_0000_0000, 0, false },
        { "bne", 0, 0, false },
        { "bne", 1, 0, true },
        { "bne", Min, Max, true },
        { "bne", 0x1_0000_0000, 0, true },
        { "blt", NegOne, 0, true },
        { "blt", 0, NegOne, false },
        { "blt", Min, Max, true },
        { "blt", Max, Min, false },
        { "blt", Min, NegOne, true },
        { "blt", 5, 5, false },
        { "bge", NegOne, 0, false },
        { "bge", 0, NegOne, true },
        { "bge", Min, Max, false },
        { "bge", Max, Min, true },
        { "bge", 5, 5, true },
        { "bge", Min, Min, true },
        { "bltu", NegOne, 0, false },
        { "bltu", 0, NegOne, true },
        { "bltu", Min, Max, false },
        { "bltu", Max, Min, true },
        { "bltu", 5, 5, false },
        { "bltu", 0xFFFF_FFFF, 0x1_0000_0000, true },
        { "bgeu", NegOne, 0, true },
        { "bgeu", 0, NegOne, false },
        { "bgeu", Min, Max, true },
        { "bgeu", Max, Min, false },
        { "bgeu", 5, 5, true },
        { "bgeu", 0, 0, true },
    };

    [Theory]
    [MemberData(nameof(BranchRows))]
    public void BranchTakesOnlyWhenItsConditionHolds(string op, ulong a, ulong b, bool taken)
    {
        using var m = new TestMachine();
        m[T0] = a;
        m[T1] = b;
        m.Place(Code,
            Branches[op](T0, T1, 12), // +0
            Li(T2, 1),                // +4: fall-through path
            Ebreak(),                 // +8
            Li(T2, 2),                // +12: branch target
            Ebreak());                // +16
        var trap = m.Run(Code);
        TestMachine.ExpectBreakpoint(trap, taken ? Code + 16 : Code + 8);
        Assert.Equal(taken ? 2UL : 1UL, m[T2]);
        Assert.Equal(2UL, m.Hart.Instret);
    }

    [Theory]
    [InlineData("beq", 0UL, 0UL)]
    [InlineData("bne", 1UL, 0UL)]
    [InlineData("blt", NegOne, 0UL)]
    [InlineData("bge", 0UL, NegOne)]
    [InlineData("bltu", 0UL, NegOne)]
    [InlineData("bgeu", NegOne, 0UL)]
    public void BranchReachesBothEndsOfItsRange(string op, ulong a, ulong b)
    {
        // Forward to +4094 (the largest even 13-bit offset), then backward by -4096.
        using var m = new TestMachine();
        m[T0] = a;
        m[T1] = b;
        ulong start = Code + 0x2000;
        m.Place(start, Branches[op](T0, T1, 4094));
        m.Place16(start + 4094, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(start), start + 4094);

        m.Place(start, Branches[op](T0, T1, -4096));
        m.Place(start - 4096, Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(start), start - 4096);
    }

    [Fact]
    public void BackwardBranchLoops()
    {
        using var m = new TestMachine();
        m[A1] = 10;
        m.RunToEbreak(
            Addi(A0, A0, 3),   // loop: a0 += 3
            Addi(A1, A1, -1),  //       a1 -= 1
            Bne(A1, Zero, -8));
        Assert.Equal(30UL, m[A0]);
        Assert.Equal(30UL, m.Hart.Instret);
    }

    [Fact]
    public void JalLinksTheNextPcAndJumps()
    {
        using var m = new TestMachine();
        m.Place(Code, Jal(Ra, 12), Ebreak(), Ebreak(), Ebreak());
        var trap = m.Run(Code);
        TestMachine.ExpectBreakpoint(trap, Code + 12);
        Assert.Equal(Code + 4, m[Ra]);
    }

    [Fact]
    public void JalBackwardAndToX0()
    {
        using var m = new TestMachine();
        m.Place(Code, Ebreak(), Jal(Zero, -4));
        TestMachine.ExpectBreakpoint(m.Run(Code + 4), Code);
        Assert.Equal(0UL, m[Zero]);
    }

    [Fact]
    public void JalReachesBothEndsOfItsRange()
    {
        // +0xFFFFE and -0x100000 are the extremes of the 21-bit offset.
        using var m = new TestMachine(4UL << 20);
        ulong start = Code + 0x10_0000;
        m.Place(start, Jal(Ra, 0xFFFFE));
        m.Place16(start + 0xFFFFE, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(start), start + 0xFFFFE);
        Assert.Equal(start + 4, m[Ra]);

        m.Place(start, Jal(Ra, -0x100000));
        m.Place(start - 0x100000, Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(start), start - 0x100000);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(17, -16)]
    [InlineData(2049, -2048)]
    [InlineData(-2047, 2047)]
    [InlineData(-2046, 2047)]
    public void JalrJumpsToRs1PlusOffsetWithBit0Cleared(int bias, int offset)
    {
        using var m = new TestMachine();
        ulong target = Code + 0x100;
        // rs1 + offset = target + (bias + offset), where bias + offset is 0 or 1: bit 0 must be dropped.
        m[T0] = target + (ulong)(long)bias;
        m.Place(Code, Jalr(Ra, T0, offset));
        ulong expected = (target + (ulong)(long)(bias + offset)) & ~1UL;
        Assert.Equal(target, expected);
        m.Place(target, Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), target);
        Assert.Equal(Code + 4, m[Ra]);
    }

    [Fact]
    public void JalrWithRdEqualRs1UsesTheOldValue()
    {
        using var m = new TestMachine();
        ulong target = Code + 0x40;
        m[T0] = target - 8;
        m.Place(Code, Jalr(T0, T0, 8));
        m.Place(target, Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), target);
        Assert.Equal(Code + 4, m[T0]);
    }

    [Fact]
    public void JalrCanReturnAndCallThroughRa()
    {
        using var m = new TestMachine();
        ulong function = Code + 0x80;
        m.Place(Code,
            Jal(Ra, 0x80),     // call function
            Addi(A0, A0, 100), // after return
            Ebreak());
        m.Place(function, Addi(A0, A0, 1), Ret());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 8);
        Assert.Equal(101UL, m[A0]);
        Assert.Equal(Code + 4, m[Ra]);
    }

    [Fact]
    public void JalrToAHalfwordAlignedTargetIsFineWithCompressed()
    {
        // With C, only bit 0 is ignored; a target with bit 1 set is a valid 2-byte-aligned pc.
        using var m = new TestMachine();
        m[T0] = Code + 0x42;
        m.Place(Code, Jalr(Zero, T0, 0));
        m.Place16(Code + 0x42, CEbreak());
        var trap = m.Run(Code);
        Assert.Equal(TrapCause.Breakpoint, trap.Cause);
        Assert.Equal(Code + 0x42, trap.Pc);
    }
}
