using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// HINT encodings (mostly "write to x0" forms, which the specification sets aside for hints
/// and which must execute as no-ops) change no register and no memory and retire normally.
/// Each is followed by an instruction that reads x0, to catch a hint that wrote it.
/// </summary>
public sealed class HintTests
{
    private const ulong Code = TestMachine.CodeBase;

    public static TheoryData<string, uint> WideHints => new()
    {
        { "addi zero, zero, 5", Addi(Zero, Zero, 5) },
        { "addi zero, t0, 7", Addi(Zero, T0, 7) },
        { "slti zero, t0, 1", Slti(Zero, T0, 1) },
        { "sltiu zero, t0, 1", Sltiu(Zero, T0, 1) },
        { "xori zero, t0, -1", Xori(Zero, T0, -1) },
        { "ori zero, t0, 1", Ori(Zero, T0, 1) },
        { "andi zero, t0, -1", Andi(Zero, T0, -1) },
        { "slli zero, t0, 3", Slli(Zero, T0, 3) },
        { "srli zero, t0, 3", Srli(Zero, T0, 3) },
        { "srai zero, t0, 63", Srai(Zero, T0, 63) },
        { "lui zero, 0x12345", Lui(Zero, 0x12345) },
        { "auipc zero, 1", Auipc(Zero, 1) },
        { "add zero, t0, t1", Add(Zero, T0, T1) },
        { "sub zero, t0, t1", Sub(Zero, T0, T1) },
        { "slt zero, t0, t1", Slt(Zero, T0, T1) },
        { "sltu zero, t0, t1", Sltu(Zero, T0, T1) },
        { "and zero, t0, t1", And(Zero, T0, T1) },
        { "or zero, t0, t1", Or(Zero, T0, T1) },
        { "xor zero, t0, t1", Xor(Zero, T0, T1) },
        { "sll zero, t0, t1", Sll(Zero, T0, T1) },
        { "srl zero, t0, t1", Srl(Zero, T0, T1) },
        { "sra zero, t0, t1", Sra(Zero, T0, T1) },
        { "addiw zero, t0, 1", Addiw(Zero, T0, 1) },
        { "slliw zero, t0, 1", Slliw(Zero, T0, 1) },
        { "srliw zero, t0, 1", Srliw(Zero, T0, 1) },
        { "sraiw zero, t0, 1", Sraiw(Zero, T0, 1) },
        { "addw zero, t0, t1", Addw(Zero, T0, T1) },
        { "subw zero, t0, t1", Subw(Zero, T0, T1) },
        { "sllw zero, t0, t1", Sllw(Zero, T0, T1) },
        { "srlw zero, t0, t1", Srlw(Zero, T0, T1) },
        { "sraw zero, t0, t1", Sraw(Zero, T0, T1) },
        { "fence with pred=0", Fence(0, 0xF) },
        { "fence with succ=0", Fence(0xF, 0) },
        { "pause (fence w, 0)", Fence(0x1, 0) },
        { "fence.tso", FenceTso() },
        // FENCE's and FENCE.I's unused fields are reserved and must be ignored.
        { "fence with rd and rs1 set", Fence() | (5u << 7) | (6u << 15) },
        { "fence with unknown fm", Fence(0xF, 0xF, 0x5) },
        { "fence.i with imm and registers set", FenceI() | (0x123u << 20) | (5u << 7) | (6u << 15) },
    };

    public static TheoryData<string, ushort> CompressedHints => new()
    {
        { "c.nop 5", CNop(5) },
        { "c.nop -32", CNop(-32) },
        { "c.addi a0, 0", CAddi(A0, 0) },
        { "c.li zero, 7", CLi(Zero, 7) },
        { "c.lui zero, 1", CLui(Zero, 1) },
        { "c.lui zero, -32", CLui(Zero, -32) },
        { "c.mv zero, a0", CMv(Zero, A0) },
        { "c.add zero, a0", CAdd(Zero, A0) },
        { "c.slli zero, 3", CSlli(Zero, 3) },
        { "c.slli a0, 0", CSlli(A0, 0) },
        { "c.slli zero, 0", CSlli(Zero, 0) },
        { "c.srli s0, 0", CSrli(S0, 0) },
        { "c.srai s0, 0", CSrai(S0, 0) },
    };

    [Theory]
    [MemberData(nameof(WideHints))]
    public void WideHintIsANoOp(string label, uint hint)
    {
        using var m = new TestMachine();
        Seed(m);
        ulong end = m.Place(Code, hint, Or(A7, Zero, Zero), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), end - 4);
        ExpectUnchanged(m, label);
    }

    [Theory]
    [MemberData(nameof(CompressedHints))]
    public void CompressedHintIsANoOp(string label, ushort hint)
    {
        using var m = new TestMachine();
        Seed(m);
        ulong pc = m.Place16(Code, hint);
        Assert.Equal(Code + 2, pc);
        pc = m.Place(pc, Or(A7, Zero, Zero), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), pc - 4);
        ExpectUnchanged(m, label);
    }

    private static void Seed(TestMachine m)
    {
        for (int r = 1; r < 32; r++)
            m[r] = 0x8000_0000_0000_0000 | ((ulong)r * 0x0123_4567);
        m.Memory.Fill(TestMachine.DataBase, 4096, 0x5A);
    }

    private static void ExpectUnchanged(TestMachine m, string label)
    {
        for (int r = 1; r < 32; r++)
        {
            ulong expected = r == A7 ? 0 : 0x8000_0000_0000_0000 | ((ulong)r * 0x0123_4567);
            Assert.True(expected == m[r], $"{label}: x{r} = 0x{m[r]:x}, expected 0x{expected:x}");
        }
        Assert.Equal(2UL, m.Hart.Instret);
        var data = new byte[4096];
        m.Memory.Read(TestMachine.DataBase, data);
        Assert.All(data, b => Assert.Equal(0x5A, b));
    }
}
