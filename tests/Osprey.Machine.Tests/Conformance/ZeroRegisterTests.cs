using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>x0 reads as zero whatever is written to it, and an instruction writing x0 still has its other effects.</summary>
public sealed class ZeroRegisterTests
{
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Data = TestMachine.DataBase;

    public static TheoryData<string, uint> WritesToX0 => new()
    {
        { "mul", Mul(Zero, T0, T1) },
        { "mulh", Mulh(Zero, T0, T1) },
        { "div", Div(Zero, T0, T1) },
        { "divu by zero", Divu(Zero, T0, Zero) },
        { "remw", Remw(Zero, T0, T1) },
        { "ld", Ld(Zero, A0, 0) },
        { "lbu", Lbu(Zero, A0, 1) },
        { "lw misaligned", Lw(Zero, A0, 3) },
        { "rdcycle", Rdcycle(Zero) },
        { "rdinstret", Rdinstret(Zero) },
        { "rdtime", Rdtime(Zero) },
        { "csrrc zero, cycle, zero", Csrrc(Zero, CsrCycle, Zero) },
        { "csrrsi zero, instret, 0", Csrrsi(Zero, CsrInstret, 0) },
        { "csrrci zero, time, 0", Csrrci(Zero, CsrTime, 0) },
        { "lr.d", LrD(Zero, A0) },
    };

    [Theory]
    [MemberData(nameof(WritesToX0))]
    public void ResultWrittenToX0IsDiscarded(string label, uint instruction)
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 0x1122_3344_5566_7788);
        m[T0] = 1234567;
        m[T1] = 89;
        m[A0] = Data;
        m[A7] = 0xBAD;
        m.RunToEbreak(instruction, Add(A7, Zero, Zero));
        Assert.True(m[A7] == 0, $"{label}: x0 read back as 0x{m[A7]:x}");
        Assert.Equal(0UL, m[Zero]);
    }

    [Fact]
    public void ReadsOfX0AreZeroInEverySourcePosition()
    {
        using var m = new TestMachine();
        m[T1] = 5;
        m[A0] = Data;
        m.Memory.Write64(Data, ulong.MaxValue);
        m.RunToEbreak(
            Add(T2, Zero, T1),   // 5
            Sub(T3, Zero, T1),   // -5
            Sltu(T4, Zero, T1),  // 0 < 5
            Sd(A0, Zero, 0),     // stores 0
            Addi(T5, Zero, -1),
            Or(T6, T5, Zero));   // -1 | 0
        Assert.Equal(5UL, m[T2]);
        Assert.Equal(unchecked((ulong)-5L), m[T3]);
        Assert.Equal(1UL, m[T4]);
        Assert.Equal(0UL, m.Memory.Read64(Data));
        Assert.Equal(ulong.MaxValue, m[T6]);
    }

    [Fact]
    public void HostWritesToX0AreIgnored()
    {
        using var m = new TestMachine();
        m[Zero] = 42;
        Assert.Equal(0UL, m[Zero]);
        m.RunToEbreak(Add(A0, Zero, Zero));
        Assert.Equal(0UL, m[A0]);
    }

    [Fact]
    public void JumpsLinkingToX0DoNotLink()
    {
        using var m = new TestMachine();
        m[T0] = Code + 12;
        m.Place(Code, Jal(Zero, 8), Ebreak(), Jalr(Zero, T0, 4), Ebreak(), Add(A0, Zero, Zero), Ebreak());
        m[A0] = 7;
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 20);
        Assert.Equal(0UL, m[A0]);
    }

    [Fact]
    public void LoadIntoX0StillFaults()
    {
        // The specification: loads to x0 must still raise any exception.
        using var m = new TestMachine();
        m[A0] = 0x1000;
        var trap = m.RunCode(Ld(Zero, A0, 0));
        Assert.Equal(new Trap(TrapCause.LoadAccessFault, Code, 0x1000), trap);
    }

    [Fact]
    public void AmoIntoX0StillUpdatesMemory()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 40);
        m[A0] = Data;
        m[A1] = 2;
        m.RunToEbreak(AmoaddD(Zero, A0, A1), Add(A2, Zero, Zero));
        Assert.Equal(42UL, m.Memory.Read64(Data));
        Assert.Equal(0UL, m[A2]);
    }

    [Fact]
    public void ScIntoX0StillStores()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 1);
        m[A0] = Data;
        m[A1] = 99;
        m.RunToEbreak(LrD(A2, A0), ScD(Zero, A0, A1), Add(A3, Zero, Zero));
        Assert.Equal(99UL, m.Memory.Read64(Data));
        Assert.Equal(1UL, m[A2]);
        Assert.Equal(0UL, m[A3]);
    }
}
