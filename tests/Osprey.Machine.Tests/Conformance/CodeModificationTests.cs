using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// Code that changes after it has run (and so after the hart has decoded and cached it): a
/// guest store followed by FENCE.I, as Zifencei requires, and a host write, which Osprey
/// promises to notice without any fence.
/// </summary>
public sealed class CodeModificationTests
{
    private const ulong Code = TestMachine.CodeBase;

    [Fact]
    public void FenceIMakesAGuestStoreToCodeVisible()
    {
        using var m = new TestMachine();
        ulong function = Code + 0x100;
        m[T0] = function;
        m[T1] = Li(A0, 42);
        m.Place(Code,
            Jal(Ra, 0x100),   // 0: call function (returns 1)
            Mv(S0, A0),       // 4
            Sw(T0, T1, 0),    // 8: rewrite its first instruction
            FenceI(),         // 12
            Jal(Ra, 0xF0),    // 16: call it again
            Ebreak());        // 20
        m.Place(function, Li(A0, 1), Ret());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 20);
        Assert.Equal(1UL, m[S0]);
        Assert.Equal(42UL, m[A0]);
    }

    [Fact]
    public void FenceIMakesAStoreToTheCurrentPageVisible()
    {
        // The rewritten instruction is on the page being executed, and was decoded on the first pass.
        using var m = new TestMachine();
        m[T0] = Code;
        m[T1] = Li(A0, 42);
        m.Place(Code,
            Li(A0, 1),          // 0: rewritten to li a0, 42
            Add(S2, S2, A0),    // 4
            Bne(S1, Zero, 24),  // 8: second pass: to the ebreak
            Li(S1, 1),          // 12
            Sw(T0, T1, 0),      // 16
            FenceI(),           // 20
            J(-24),             // 24: back to 0
            Nop(),              // 28
            Ebreak());          // 32
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 32);
        Assert.Equal(43UL, m[S2]);
    }

    [Fact]
    public void FenceIMakesACompressedRewriteVisible()
    {
        using var m = new TestMachine();
        ulong function = Code + 0x100;
        m[T0] = function;
        m[T1] = CLi(A0, 9);
        m.Place(Code, Jal(Ra, 0x100), Mv(S0, A0), Sh(T0, T1, 0), FenceI(), Jal(Ra, 0xF0), Ebreak());
        m.Place16(function, CLi(A0, 3), CJr(Ra));
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 20);
        Assert.Equal(3UL, m[S0]);
        Assert.Equal(9UL, m[A0]);
    }

    [Fact]
    public void FenceIInALoopKeepsMakingProgress()
    {
        using var m = new TestMachine();
        m[A1] = 50;
        m.RunToEbreak(FenceI(), Addi(A0, A0, 1), Addi(A1, A1, -1), Bne(A1, Zero, -12));
        Assert.Equal(50UL, m[A0]);
        Assert.Equal(200UL, m.Hart.Instret);
    }

    [Fact]
    public void HostWriteToExecutedCodeIsSeenWithoutFenceI()
    {
        using var m = new TestMachine();
        m.Place(Code, Li(A0, 1), Ebreak());
        m.Run(Code);
        Assert.Equal(1UL, m[A0]);

        m.Memory.Write32(Code, Li(A0, 2));
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 4);
        Assert.Equal(2UL, m[A0]);

        // Through the span-based writer, and replacing a 32-bit instruction by two compressed ones.
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes[..2], CLi(A0, 3));
        BitConverter.TryWriteBytes(bytes[2..], CAddi(A0, 4));
        m.Memory.Write(Code, bytes);
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 4);
        Assert.Equal(7UL, m[A0]);

        // And through Copy, from a staging area.
        m.Memory.Write32(TestMachine.DataBase, Li(A0, 5));
        m.Memory.Copy(Code, TestMachine.DataBase, 4);
        m.Run(Code);
        Assert.Equal(5UL, m[A0]);
    }

    [Fact]
    public void HostWriteIsSeenByEveryHartSharingTheMemory()
    {
        using var m = new TestMachine();
        using var other = new Osprey.Machine.Cpu.Hart(m.Memory, 1);
        m.Place(Code, Li(A0, 1), Ebreak());
        m.Run(Code);
        other.Pc = Code;
        other.Run(10);
        Assert.Equal(1UL, other[A0]);

        m.Memory.Write32(Code, Li(A0, 2));
        m.Run(Code);
        other.Pc = Code;
        other.Run(10);
        Assert.Equal(2UL, m[A0]);
        Assert.Equal(2UL, other[A0]);
    }

    [Fact]
    public void HostWriteToAFrameNeverExecutedNeedsNothing()
    {
        using var m = new TestMachine();
        m.Place(Code, Li(A0, 1), Ebreak());
        m.Run(Code);
        ulong elsewhere = Code + 0x3000;
        m.Place(elsewhere, Li(A0, 6), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(elsewhere), elsewhere + 4);
        Assert.Equal(6UL, m[A0]);
    }
}
