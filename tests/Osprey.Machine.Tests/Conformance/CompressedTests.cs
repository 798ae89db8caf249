using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// Every RV64C instruction: each is run alone, followed by a c.ebreak, so the trap's pc
/// also proves that the instruction advanced the pc by 2.
/// </summary>
public sealed class CompressedTests
{
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Data = TestMachine.DataBase + 0x1000;
    private const ulong NegOne = ulong.MaxValue;

    /// <summary>Runs one compressed instruction and checks that it, and only it, retired.</summary>
    private static void RunOne(TestMachine m, ushort instruction)
    {
        m.Place16(Code, instruction, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 2);
        Assert.Equal(1UL, m.Hart.Instret);
    }

    // label, instruction, rd, rd before, rs2, rs2 before, rd after
    public static TheoryData<string, ushort, int, ulong, int, ulong, ulong> RegisterRows => new()
    {
        { "c.addi a0, -32", CAddi(A0, -32), A0, 5, 0, 0, unchecked((ulong)-27L) },
        { "c.addi t6, 31", CAddi(T6, 31), T6, NegOne, 0, 0, 30 },
        { "c.addi wraps", CAddi(A0, 1), A0, 0x7FFF_FFFF_FFFF_FFFF, 0, 0, 0x8000_0000_0000_0000 },
        { "c.addiw sign-extends", CAddiw(A1, 1), A1, 0x7FFF_FFFF, 0, 0, 0xFFFF_FFFF_8000_0000 },
        { "c.addiw 0 is sext.w", CAddiw(S0, 0), S0, 0x1234_5678_8765_4321, 0, 0, 0xFFFF_FFFF_8765_4321 },
        { "c.addiw drops the upper half", CAddiw(Ra, -1), Ra, 0x1_0000_0000, 0, 0, NegOne },
        { "c.li -32", CLi(A2, -32), A2, 77, 0, 0, unchecked((ulong)-32L) },
        { "c.li 31", CLi(Ra, 31), Ra, 77, 0, 0, 31 },
        { "c.li 0", CLi(T6, 0), T6, 77, 0, 0, 0 },
        { "c.lui 1", CLui(A0, 1), A0, 77, 0, 0, 0x1000 },
        { "c.lui 31", CLui(T0, 31), T0, 77, 0, 0, 0x1_F000 },
        { "c.lui -32", CLui(S11, -32), S11, 77, 0, 0, 0xFFFF_FFFF_FFFE_0000 },
        { "c.lui -1", CLui(A3, -1), A3, 77, 0, 0, 0xFFFF_FFFF_FFFF_F000 },
        { "c.srli 1", CSrli(A0, 1), A0, 0x8000_0000_0000_0000, 0, 0, 0x4000_0000_0000_0000 },
        { "c.srli 32", CSrli(S1, 32), S1, 0x8000_0000_0000_0000, 0, 0, 0x8000_0000 },
        { "c.srli 63", CSrli(A5, 63), A5, 0x8000_0000_0000_0000, 0, 0, 1 },
        { "c.srai 1", CSrai(A0, 1), A0, 0x8000_0000_0000_0000, 0, 0, 0xC000_0000_0000_0000 },
        { "c.srai 32", CSrai(S0, 32), S0, 0x8000_0000_0000_0000, 0, 0, 0xFFFF_FFFF_8000_0000 },
        { "c.srai 63", CSrai(A5, 63), A5, 0x8000_0000_0000_0000, 0, 0, NegOne },
        { "c.srai positive", CSrai(A4, 63), A4, 0x7FFF_FFFF_FFFF_FFFF, 0, 0, 0 },
        { "c.andi -32", CAndi(A1, -32), A1, NegOne, 0, 0, 0xFFFF_FFFF_FFFF_FFE0 },
        { "c.andi 31", CAndi(A2, 31), A2, NegOne, 0, 0, 31 },
        { "c.andi 0", CAndi(A3, 0), A3, NegOne, 0, 0, 0 },
        { "c.slli 1", CSlli(A0, 1), A0, 0xC000_0000_0000_0001, 0, 0, 0x8000_0000_0000_0002 },
        { "c.slli 32", CSlli(Ra, 32), Ra, 0xFFFF_FFFF, 0, 0, 0xFFFF_FFFF_0000_0000 },
        { "c.slli 63", CSlli(T6, 63), T6, 3, 0, 0, 0x8000_0000_0000_0000 },
        { "c.sub", CSub(A0, A1), A0, 0, A1, 1, NegOne },
        { "c.sub wraps", CSub(S0, S1), S0, 0x8000_0000_0000_0000, S1, 1, 0x7FFF_FFFF_FFFF_FFFF },
        { "c.xor", CXor(S0, A5), S0, 0xFF00, A5, 0x0FF0, 0xF0F0 },
        { "c.or", COr(A2, A3), A2, 0xF000_0000_0000_0000, A3, 0x0F, 0xF000_0000_0000_000F },
        { "c.and", CAnd(A4, S1), A4, 0xFF00_FF00, S1, 0x0FF0_0FF0, 0x0F00_0F00 },
        { "c.subw", CSubw(A0, A1), A0, 0x8000_0000, A1, 1, 0x7FFF_FFFF },
        { "c.subw sign-extends", CSubw(A0, A1), A0, 0, A1, 1, NegOne },
        { "c.addw", CAddw(A5, S0), A5, 0x7FFF_FFFF, S0, 1, 0xFFFF_FFFF_8000_0000 },
        { "c.addw drops upper halves", CAddw(A5, S0), A5, 0x5_0000_0002, S0, 0x7_0000_0003, 5 },
        { "c.mv", CMv(A0, A1), A0, 1, A1, 0xDEAD_BEEF_0000_0001, 0xDEAD_BEEF_0000_0001 },
        { "c.mv t6, ra", CMv(T6, Ra), T6, 1, Ra, 42, 42 },
        { "c.add", CAdd(T0, T6), T0, 40, T6, 2, 42 },
        { "c.add wraps", CAdd(A0, A0), A0, 0x8000_0000_0000_0000, A0, 0x8000_0000_0000_0000, 0 },
    };

    [Theory]
    [MemberData(nameof(RegisterRows))]
    public void RegisterForms(string label, ushort instruction, int rd, ulong rdBefore, int rs2, ulong rs2Before, ulong expected)
    {
        using var m = new TestMachine();
        m[rd] = rdBefore;
        if (rs2 != 0 && rs2 != rd)
            m[rs2] = rs2Before;
        RunOne(m, instruction);
        Assert.True(expected == m[rd], $"{label}: x{rd} = 0x{m[rd]:x}, expected 0x{expected:x}");
        if (rs2 != 0 && rs2 != rd)
            Assert.Equal(rs2Before, m[rs2]);
    }

    [Fact]
    public void CNopChangesNothing()
    {
        using var m = new TestMachine();
        for (int r = 1; r < 32; r++)
            m[r] = (ulong)r * 0x0101_0101;
        RunOne(m, CNop());
        for (int r = 1; r < 32; r++)
            Assert.Equal((ulong)r * 0x0101_0101, m[r]);
    }

    [Theory]
    [InlineData(S0, 4)]
    [InlineData(A5, 1020)]
    [InlineData(A0, 0x2A8)]
    public void CAddi4spnAddsAScaledImmediateToSp(int rd, int imm)
    {
        using var m = new TestMachine();
        m[Sp] = Data;
        RunOne(m, CAddi4spn(rd, imm));
        Assert.Equal(Data + (ulong)imm, m[rd]);
        Assert.Equal(Data, m[Sp]);
    }

    [Theory]
    [InlineData(-512)]
    [InlineData(496)]
    [InlineData(16)]
    [InlineData(-16)]
    [InlineData(0x1A0)]
    public void CAddi16spAdjustsSp(int imm)
    {
        using var m = new TestMachine();
        m[Sp] = Data;
        RunOne(m, CAddi16sp(imm));
        Assert.Equal(Data + (ulong)(long)imm, m[Sp]);
    }

    [Theory]
    [InlineData(0, 0xFFFF_FFFF_8000_0001UL)]
    [InlineData(4, 0x7FFF_FFFFUL)]
    [InlineData(124, 0xFFFF_FFFF_FFFF_FFFEUL)]
    public void CLwSignExtends(int offset, ulong expected)
    {
        using var m = new TestMachine();
        m.Memory.Write32(Data, 0x8000_0001);
        m.Memory.Write32(Data + 4, 0x7FFF_FFFF);
        m.Memory.Write32(Data + 124, 0xFFFF_FFFE);
        m[S1] = Data;
        RunOne(m, CLw(A0, S1, offset));
        Assert.Equal(expected, m[A0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(248)]
    public void CLdLoadsADoubleword(int offset)
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data + (ulong)offset, 0x8123_4567_89AB_CDEF);
        m[A5] = Data;
        RunOne(m, CLd(A4, A5, offset));
        Assert.Equal(0x8123_4567_89AB_CDEFUL, m[A4]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(124)]
    public void CSwStoresTheLowWord(int offset)
    {
        using var m = new TestMachine();
        m.Memory.Fill(Data, 256, 0xEE);
        m[S0] = Data;
        m[A0] = 0x1122_3344_5566_7788;
        RunOne(m, CSw(S0, A0, offset));
        Assert.Equal(0x5566_7788U, m.Memory.Read32(Data + (ulong)offset));
        Assert.Equal(0xEEEE_EEEEU, m.Memory.Read32(Data + (ulong)offset + 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(248)]
    public void CSdStoresADoubleword(int offset)
    {
        using var m = new TestMachine();
        m[S1] = Data;
        m[A2] = 0x1122_3344_5566_7788;
        RunOne(m, CSd(S1, A2, offset));
        Assert.Equal(0x1122_3344_5566_7788UL, m.Memory.Read64(Data + (ulong)offset));
    }

    [Theory]
    [InlineData(Ra, 0)]
    [InlineData(T6, 252)]
    [InlineData(A0, 0xA4)]
    public void CLwspLoadsRelativeToSp(int rd, int offset)
    {
        using var m = new TestMachine();
        m.Memory.Write32(Data + (ulong)offset, 0x8765_4321);
        m[Sp] = Data;
        RunOne(m, CLwsp(rd, offset));
        Assert.Equal(0xFFFF_FFFF_8765_4321UL, m[rd]);
    }

    [Theory]
    [InlineData(Ra, 0)]
    [InlineData(T6, 504)]
    [InlineData(A1, 0x148)]
    public void CLdspLoadsRelativeToSp(int rd, int offset)
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data + (ulong)offset, 0xFEDC_BA98_7654_3210);
        m[Sp] = Data;
        RunOne(m, CLdsp(rd, offset));
        Assert.Equal(0xFEDC_BA98_7654_3210UL, m[rd]);
    }

    [Theory]
    [InlineData(Ra, 0)]
    [InlineData(T6, 252)]
    [InlineData(Zero, 0x84)]
    public void CSwspStoresRelativeToSp(int rs2, int offset)
    {
        using var m = new TestMachine();
        m[Sp] = Data;
        m[rs2] = 0xAAAA_BBBB_CCCC_DDDD;
        m.Memory.Write64(Data + (ulong)offset, ulong.MaxValue);
        RunOne(m, CSwsp(rs2, offset));
        Assert.Equal(rs2 == Zero ? 0xFFFF_FFFF_0000_0000UL : 0xFFFF_FFFF_CCCC_DDDDUL, m.Memory.Read64(Data + (ulong)offset));
    }

    [Theory]
    [InlineData(Ra, 0)]
    [InlineData(T6, 504)]
    [InlineData(A3, 0x1C8)]
    public void CSdspStoresRelativeToSp(int rs2, int offset)
    {
        using var m = new TestMachine();
        m[Sp] = Data;
        m[rs2] = 0xAAAA_BBBB_CCCC_DDDD;
        RunOne(m, CSdsp(rs2, offset));
        Assert.Equal(0xAAAA_BBBB_CCCC_DDDDUL, m.Memory.Read64(Data + (ulong)offset));
    }

    [Theory]
    [InlineData(2046)]
    [InlineData(-2048)]
    [InlineData(0x2AA)]
    [InlineData(-0x556)]
    [InlineData(2)]
    public void CJJumpsWithoutLinking(int offset)
    {
        using var m = new TestMachine();
        ulong at = Code + 0x1000;
        m.Place16(at, CJ(offset));
        ulong target = at + (ulong)(long)offset;
        m.Place16(target, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(at), target);
        Assert.Equal(0UL, m[Ra]);
    }

    [Theory]
    [InlineData(true, 0UL, 254, true)]
    [InlineData(true, 1UL, 254, false)]
    [InlineData(true, 0x1_0000_0000UL, -256, false)]
    [InlineData(true, 0UL, -256, true)]
    [InlineData(false, 0UL, 254, false)]
    [InlineData(false, 0x8000_0000_0000_0000UL, 254, true)]
    [InlineData(false, 0x1_0000_0000UL, -256, true)]
    [InlineData(false, 0UL, -0x56, false)]
    public void CBeqzAndCBnezCompareAll64Bits(bool beqz, ulong value, int offset, bool taken)
    {
        using var m = new TestMachine();
        ulong at = Code + 0x400;
        m[S1] = value;
        m.Place16(at, beqz ? CBeqz(S1, offset) : CBnez(S1, offset), CEbreak());
        ulong target = at + (ulong)(long)offset;
        m.Place16(target, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(at), taken ? target : at + 2);
    }

    [Fact]
    public void CJrJumpsToTheRegisterWithBit0Cleared()
    {
        using var m = new TestMachine();
        m[T6] = Code + 0x81;
        m.Place16(Code, CJr(T6));
        m.Place16(Code + 0x80, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 0x80);
        Assert.Equal(0UL, m[Ra]);
    }

    [Fact]
    public void CJalrLinksPcPlus2()
    {
        using var m = new TestMachine();
        m[A0] = Code + 0x80;
        m.Place16(Code, CJalr(A0));
        m.Place16(Code + 0x80, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 0x80);
        Assert.Equal(Code + 2, m[Ra]);
    }

    [Fact]
    public void CJalrThroughRaReadsTheOldRa()
    {
        using var m = new TestMachine();
        m[Ra] = Code + 0x40;
        m.Place16(Code, CJalr(Ra));
        m.Place16(Code + 0x40, CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 0x40);
        Assert.Equal(Code + 2, m[Ra]);
    }

    [Fact]
    public void CEbreakReportsItsOwnPc()
    {
        using var m = new TestMachine();
        m.Place16(Code, CNop(), CEbreak());
        var trap = m.Run(Code);
        Assert.Equal(new Trap(TrapCause.Breakpoint, Code + 2, Code + 2), trap);
        Assert.Equal(1UL, m.Hart.Instret);
    }

    [Fact]
    public void MixedWidthsRunBackToBack()
    {
        // 32-bit instructions at 2-byte-aligned addresses after compressed ones.
        using var m = new TestMachine();
        ulong pc = m.Place16(Code, CLi(A0, 1));
        pc = m.Place(pc, Addi(A0, A0, 10));
        pc = m.Place16(pc, CAddi(A0, 5), CSlli(A0, 1));
        pc = m.Place(pc, Addi(A0, A0, 100), Lui(A1, 1));
        pc = m.Place16(pc, CAdd(A0, A1), CEbreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), pc - 2);
        Assert.Equal(((1UL + 10 + 5) << 1) + 100 + 0x1000, m[A0]);
        Assert.Equal(7UL, m.Hart.Instret);
    }
}
