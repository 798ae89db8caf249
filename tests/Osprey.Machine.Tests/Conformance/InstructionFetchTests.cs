using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// Instruction fetch at page boundaries: with C, a 32-bit instruction can start in the last
/// halfword of a page, and its two halves may then live in unrelated frames, or the second
/// page may not be mapped at all.
/// </summary>
public sealed class InstructionFetchTests
{
    private const ulong Code = TestMachine.CodeBase;

    // Two adjacent virtual pages whose frames are in the opposite order in RAM.
    private const ulong FirstPage = 0x40_0000, SecondPage = FirstPage + 0x1000;
    private const ulong FirstFrame = Code + 0x3000, SecondFrame = Code + 0x2000;
    private const ulong UserRx = Pte.V | Pte.R | Pte.X | Pte.U | Pte.A;

    private static void PlaceStraddling(TestMachine m, ulong lowHalfAt, ulong highHalfAt, uint instruction)
    {
        m.Memory.Write16(lowHalfAt, (ushort)instruction);
        m.Memory.Write16(highHalfAt, (ushort)(instruction >> 16));
    }

    [Fact]
    public void StraddlingInstructionRunsInBareMode()
    {
        using var m = new TestMachine();
        ulong at = Code + 0xFFE;
        m.Place(at, Lui(A0, 0x12345), Addi(A0, A0, 0x678), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(at), at + 8);
        Assert.Equal(0x1234_5678UL, m[A0]);
    }

    [Fact]
    public void StraddlingInstructionJoinsHalvesFromUnrelatedFramesInSv39()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Map(SecondPage, SecondFrame, UserRx);
        m.Memory.Write16(FirstFrame + 0xFFC, CLi(A0, 1));
        PlaceStraddling(m, FirstFrame + 0xFFE, SecondFrame, Addi(A0, A0, 0x7FF));
        m.Place(SecondFrame + 2, Ebreak());

        TestMachine.ExpectBreakpoint(m.Run(FirstPage + 0xFFC), SecondPage + 2);
        Assert.Equal(0x800UL, m[A0]);
        Assert.Equal(2UL, m.Hart.Instret);
    }

    [Fact]
    public void StraddlingInstructionInALoopRunsEveryTime()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Map(SecondPage, SecondFrame, UserRx);
        // 0xFFC: c.li s1, 20; loop at 0xFFE: addi a0, a0, 3 (straddling); c.addi s1, -1; c.bnez s1, loop
        m.Memory.Write16(FirstFrame + 0xFFC, CLi(S1, 20));
        PlaceStraddling(m, FirstFrame + 0xFFE, SecondFrame, Addi(A0, A0, 3));
        m.Place16(SecondFrame + 2, CAddi(S1, -1), CBnez(S1, -6), CEbreak());

        TestMachine.ExpectBreakpoint(m.Run(FirstPage + 0xFFC), SecondPage + 6);
        Assert.Equal(60UL, m[A0]);
    }

    [Fact]
    public void StraddlingInstructionWithTheSecondPageUnmappedFaultsOnTheSecondPage()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Memory.Write16(FirstFrame + 0xFFC, CLi(A0, 1));
        m.Memory.Write16(FirstFrame + 0xFFE, (ushort)Addi(A0, A0, 1));

        var trap = m.Run(FirstPage + 0xFFC);
        // sepc is the instruction; stval the address of the part that could not be fetched.
        Assert.Equal(new Trap(TrapCause.InstructionPageFault, FirstPage + 0xFFE, SecondPage), trap);
        Assert.Equal(1UL, m[A0]);
        Assert.Equal(1UL, m.Hart.Instret);
    }

    [Fact]
    public void StraddlingInstructionWithANonExecutableSecondPageFaults()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Map(SecondPage, SecondFrame, Pte.V | Pte.R | Pte.W | Pte.U | Pte.A | Pte.D);
        PlaceStraddling(m, FirstFrame + 0xFFE, SecondFrame, Addi(A0, A0, 1));
        var trap = m.Run(FirstPage + 0xFFE);
        Assert.Equal(new Trap(TrapCause.InstructionPageFault, FirstPage + 0xFFE, SecondPage), trap);
    }

    [Fact]
    public void StraddlingInstructionAtTheEndOfRamIsAnAccessFaultOnTheSecondHalf()
    {
        using var m = new TestMachine();
        ulong end = PhysicalMemory.Base + TestMachine.DefaultMemorySize;
        m.Memory.Write16(end - 2, (ushort)Addi(A0, A0, 1));
        var trap = m.Run(end - 2);
        Assert.Equal(new Trap(TrapCause.InstructionAccessFault, end - 2, end), trap);
    }

    [Fact]
    public void CompressedInstructionAtTheEndOfAPageNeedsOnlyThatPage()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Memory.Write16(FirstFrame + 0xFFE, CLi(A0, 5));
        var trap = m.Run(FirstPage + 0xFFE);
        // It executes; the fault comes from fetching the next instruction.
        Assert.Equal(new Trap(TrapCause.InstructionPageFault, SecondPage, SecondPage), trap);
        Assert.Equal(5UL, m[A0]);
    }

    [Fact]
    public void IllegalCompressedInstructionAtTheEndOfAPageIsIllegalNotAFetchFault()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Memory.Write16(FirstFrame + 0xFFE, 0x0000);
        Assert.Equal(new Trap(TrapCause.IllegalInstruction, FirstPage + 0xFFE, 0), m.Run(FirstPage + 0xFFE));
    }

    [Fact]
    public void RewritingTheSecondHalfOfAStraddlingInstructionIsSeen()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Map(SecondPage, SecondFrame, UserRx);
        PlaceStraddling(m, FirstFrame + 0xFFE, SecondFrame, Addi(A0, Zero, 1));
        m.Place(SecondFrame + 2, Ebreak());
        m.Run(FirstPage + 0xFFE);
        Assert.Equal(1UL, m[A0]);

        // addi's immediate is entirely in the upper half.
        PlaceStraddling(m, FirstFrame + 0xFFE, SecondFrame, Addi(A0, Zero, 0x555));
        TestMachine.ExpectBreakpoint(m.Run(FirstPage + 0xFFE), SecondPage + 2);
        Assert.Equal(0x555UL, m[A0]);
    }

    [Fact]
    public void RunningOffTheEndOfAPageContinuesOnTheNextVirtualPage()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(FirstPage, FirstFrame, UserRx);
        m.Map(SecondPage, SecondFrame, UserRx);
        m.Place(FirstFrame + 0xFF8, Addi(A0, A0, 1), Addi(A0, A0, 2));
        m.Place(SecondFrame, Addi(A0, A0, 4), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(FirstPage + 0xFF8), SecondPage + 4);
        Assert.Equal(7UL, m[A0]);
    }
}
