using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Atomics;

/// <summary>
/// Single-hart semantics of every AMO: rd gets the old value (sign-extended for .w), memory
/// gets op(old, rs2) (only 32 bits of it for .w), min/max compare signed or unsigned as named,
/// and misaligned addresses raise store/AMO address-misaligned.
/// </summary>
public sealed class AmoSemanticsTests
{
    private const ulong Data = TestMachine.DataBase + 0x100;
    private const ulong Sentinel = 0xA5A5_A5A5_A5A5_A5A5;
    private const uint SentinelWord = 0xA5A5_A5A5;
    private const ulong Min = 0x8000_0000_0000_0000, Max = 0x7FFF_FFFF_FFFF_FFFF, NegOne = ulong.MaxValue;

    private delegate uint AmoEncoder(int rd, int rs1, int rs2, bool aq, bool rl);

    private static readonly Dictionary<string, AmoEncoder> Ops = new()
    {
        ["amoswap.w"] = AmoswapW, ["amoadd.w"] = AmoaddW, ["amoxor.w"] = AmoxorW, ["amoand.w"] = AmoandW,
        ["amoor.w"] = AmoorW, ["amomin.w"] = AmominW, ["amomax.w"] = AmomaxW, ["amominu.w"] = AmominuW,
        ["amomaxu.w"] = AmomaxuW,
        ["amoswap.d"] = AmoswapD, ["amoadd.d"] = AmoaddD, ["amoxor.d"] = AmoxorD, ["amoand.d"] = AmoandD,
        ["amoor.d"] = AmoorD, ["amomin.d"] = AmominD, ["amomax.d"] = AmomaxD, ["amominu.d"] = AmominuD,
        ["amomaxu.d"] = AmomaxuD,
    };

    // op, memory before, rs2, rd after, memory after (for .w: the 32-bit word, zero-extended here)
    public static TheoryData<string, ulong, ulong, ulong, ulong> Rows => new()
    {
        { "amoswap.w", 0x8000_0000, 0x1_2345_6789, 0xFFFF_FFFF_8000_0000, 0x2345_6789 },
        { "amoswap.w", 0x7FFF_FFFF, 0, 0x7FFF_FFFF, 0 },
        { "amoadd.w", 0x7FFF_FFFF, 1, 0x7FFF_FFFF, 0x8000_0000 },
        { "amoadd.w", 0xFFFF_FFFF, 1, NegOne, 0 },
        { "amoadd.w", 5, 0xFFFF_FFFF_0000_0001, 5, 6 },
        { "amoxor.w", 0xF0F0_F0F0, 0xFFFF_0000, 0xFFFF_FFFF_F0F0_F0F0, 0x0F0F_F0F0 },
        { "amoand.w", 0xF0F0_F0F0, 0x0FF0_0FF0, 0xFFFF_FFFF_F0F0_F0F0, 0x00F0_00F0 },
        { "amoor.w", 0x8000_0000, 1, 0xFFFF_FFFF_8000_0000, 0x8000_0001 },
        { "amomin.w", 0xFFFF_FFFF, 1, NegOne, 0xFFFF_FFFF },
        { "amomin.w", 5, 0x8000_0000, 5, 0x8000_0000 },
        { "amomin.w", 1, 0xFFFF_FFFE, 1, 0xFFFF_FFFE },
        { "amomin.w", 1, 0x1_0000_0000, 1, 0 },
        { "amomax.w", 0xFFFF_FFFF, 1, NegOne, 1 },
        { "amomax.w", 0x7FFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 0x7FFF_FFFF },
        { "amomax.w", 2, 0x7FFF_FFFF_0000_0003, 2, 3 },
        { "amominu.w", 0xFFFF_FFFF, 1, NegOne, 1 },
        { "amominu.w", 0x8000_0000, 0x1_0000_0000, 0xFFFF_FFFF_8000_0000, 0 },
        { "amominu.w", 3, 0xFFFF_FFFF, 3, 3 },
        { "amomaxu.w", 1, 0xFFFF_FFFF, 1, 0xFFFF_FFFF },
        { "amomaxu.w", 0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF_8000_0000, 0x8000_0000 },
        { "amomaxu.w", 0x8000_0000, 0x1_0000_0000, 0xFFFF_FFFF_8000_0000, 0x8000_0000 },

        { "amoswap.d", Min, 1, Min, 1 },
        { "amoswap.d", 0x1234_5678_9ABC_DEF0, NegOne, 0x1234_5678_9ABC_DEF0, NegOne },
        { "amoadd.d", Max, 1, Max, Min },
        { "amoadd.d", NegOne, 1, NegOne, 0 },
        { "amoadd.d", 0xFFFF_FFFF, 1, 0xFFFF_FFFF, 0x1_0000_0000 },
        { "amoxor.d", 0xFF00_FF00_FF00_FF00, NegOne, 0xFF00_FF00_FF00_FF00, 0x00FF_00FF_00FF_00FF },
        { "amoand.d", 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0xFF00_FF00_FF00_FF00, 0x0F00_0F00_0F00_0F00 },
        { "amoor.d", Min, 1, Min, Min | 1 },
        { "amomin.d", NegOne, 1, NegOne, NegOne },
        { "amomin.d", Max, Min, Max, Min },
        { "amomin.d", 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF, 0xFFFF_FFFF },
        { "amomax.d", NegOne, 1, NegOne, 1 },
        { "amomax.d", Min, Max, Min, Max },
        { "amominu.d", NegOne, 1, NegOne, 1 },
        { "amominu.d", Min, Max, Min, Max },
        { "amomaxu.d", 1, NegOne, 1, NegOne },
        { "amomaxu.d", Min, Max, Min, Min },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AmoReturnsTheOldValueAndStoresTheResult(string op, ulong before, ulong source, ulong rdAfter, ulong memoryAfter)
    {
        bool word = op.EndsWith(".w", StringComparison.Ordinal);
        // A .w works on a word that is 4- but not 8-aligned, between sentinels, so a wider write shows.
        ulong target = word ? Data + 4 : Data + 8;
        foreach (var (aq, rl) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            using var m = new TestMachine();
            m.Memory.Write64(Data, Sentinel);
            m.Memory.Write64(Data + 8, Sentinel);
            m.Memory.Write64(Data + 16, Sentinel);
            if (word)
                m.Memory.Write32(target, (uint)before);
            else
                m.Memory.Write64(target, before);
            m[A0] = target;
            m[A2] = source;
            m.RunToEbreak(Ops[op](A1, A0, A2, aq, rl));

            Assert.True(rdAfter == m[A1], $"{op} (aq={aq}, rl={rl}): rd = 0x{m[A1]:x}, expected 0x{rdAfter:x}");
            Assert.Equal(memoryAfter, word ? m.Memory.Read32(target) : m.Memory.Read64(target));
            Assert.Equal(source, m[A2]);
            Assert.Equal(target, m[A0]);
            Assert.Equal(SentinelWord, m.Memory.Read32(Data));
            Assert.Equal(Sentinel, m.Memory.Read64(Data + 16));
            if (word)
                Assert.Equal(SentinelWord, m.Memory.Read32(Data + 8));
        }
    }

    [Fact]
    public void RdMayAliasTheSourceOrTheAddress()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 10);
        m[A0] = Data;
        m[A1] = 5;
        m.RunToEbreak(AmoaddD(A1, A0, A1));   // rd = rs2
        Assert.Equal(10UL, m[A1]);
        Assert.Equal(15UL, m.Memory.Read64(Data));

        m[A0] = Data;
        m[A1] = 1;
        m.RunToEbreak(AmoswapD(A0, A0, A1));  // rd = rs1
        Assert.Equal(15UL, m[A0]);
        Assert.Equal(1UL, m.Memory.Read64(Data));
    }

    public static TheoryData<string, ulong> Misaligned => new()
    {
        { "amoadd.w", 1 }, { "amoadd.w", 2 }, { "amoadd.w", 3 },
        { "amoswap.w", 2 }, { "amomaxu.w", 6 },
        { "amoadd.d", 4 }, { "amoadd.d", 1 }, { "amoswap.d", 7 }, { "amominu.d", 2 },
    };

    [Theory]
    [MemberData(nameof(Misaligned))]
    public void MisalignedAmoIsAStoreAddressMisalignedTrap(string op, ulong offset)
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, Sentinel);
        m.Memory.Write64(Data + 8, Sentinel);
        m[A0] = Data + offset;
        m[A1] = 0x1234;
        m[A2] = 1;
        var trap = m.RunCode(Ops[op](A1, A0, A2, false, false));
        Assert.Equal(new Trap(TrapCause.StoreAddressMisaligned, TestMachine.CodeBase, Data + offset), trap);
        Assert.Equal(6, (int)trap.Cause);
        Assert.Equal(0x1234UL, m[A1]);
        Assert.Equal(Sentinel, m.Memory.Read64(Data));
        Assert.Equal(Sentinel, m.Memory.Read64(Data + 8));
    }

    [Fact]
    public void AmoOutsideRamIsAStoreAccessFault()
    {
        using var m = new TestMachine();
        m[A0] = 0x1000;
        var trap = m.RunCode(AmoaddW(A1, A0, A2));
        Assert.Equal(new Trap(TrapCause.StoreAccessFault, TestMachine.CodeBase, 0x1000), trap);
    }
}
