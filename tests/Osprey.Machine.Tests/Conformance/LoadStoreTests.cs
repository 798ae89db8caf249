using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// Loads and stores of every width: sign and zero extension, immediate extremes, misaligned
/// accesses (which Osprey performs), accesses that cross a page, and accesses outside RAM.
/// </summary>
public sealed class LoadStoreTests
{
    private const ulong Data = TestMachine.DataBase + 0x1000;
    private const ulong Code = TestMachine.CodeBase;

    // Bytes at Data, chosen so that every width sees both a set and a clear top bit somewhere.
    private static readonly byte[] Pattern =
        [0xF0, 0x81, 0x72, 0x83, 0x84, 0x05, 0x86, 0xF7, 0x08, 0x19, 0x2A, 0x3B, 0x4C, 0x5D, 0x6E, 0x7F];

    private static readonly Dictionary<string, Func<int, int, int, uint>> LoadOps = new()
    {
        ["lb"] = Lb, ["lbu"] = Lbu, ["lh"] = Lh, ["lhu"] = Lhu, ["lw"] = Lw, ["lwu"] = Lwu, ["ld"] = Ld,
    };

    private static readonly Dictionary<string, (Func<int, int, int, uint> Encode, int Width)> StoreOps = new()
    {
        ["sb"] = (Sb, 1), ["sh"] = (Sh, 2), ["sw"] = (Sw, 4), ["sd"] = (Sd, 8),
    };

    public static TheoryData<string, int, ulong> LoadRows => new()
    {
        { "lb", 0, 0xFFFF_FFFF_FFFF_FFF0 },
        { "lbu", 0, 0xF0 },
        { "lb", 2, 0x72 },
        { "lbu", 2, 0x72 },
        { "lb", 7, 0xFFFF_FFFF_FFFF_FFF7 },
        { "lbu", 15, 0x7F },
        { "lh", 0, 0xFFFF_FFFF_FFFF_81F0 },
        { "lhu", 0, 0x81F0 },
        { "lh", 4, 0x0584 },
        { "lhu", 4, 0x0584 },
        { "lh", 6, 0xFFFF_FFFF_FFFF_F786 },
        { "lhu", 6, 0xF786 },
        { "lw", 0, 0xFFFF_FFFF_8372_81F0 },
        { "lwu", 0, 0x8372_81F0 },
        { "lw", 4, 0xFFFF_FFFF_F786_0584 },
        { "lwu", 4, 0xF786_0584 },
        { "lw", 8, 0x3B2A_1908 },
        { "lwu", 8, 0x3B2A_1908 },
        { "ld", 0, 0xF786_0584_8372_81F0 },
        { "ld", 8, 0x7F6E_5D4C_3B2A_1908 },
        // Misaligned: performed, with the same extension rules.
        { "lh", 1, 0x7281 },
        { "lh", 3, 0xFFFF_FFFF_FFFF_8483 },
        { "lhu", 3, 0x8483 },
        { "lw", 1, 0xFFFF_FFFF_8483_7281 },
        { "lwu", 1, 0x8483_7281 },
        { "lw", 5, 0x08F7_8605 },
        { "lw", 6, 0x1908_F786 },
        { "lwu", 7, 0x2A19_08F7 },
        { "ld", 1, 0x08F7_8605_8483_7281 },
        { "ld", 3, 0x2A19_08F7_8605_8483 },
        { "ld", 7, 0x6E5D_4C3B_2A19_08F7 },
    };

    [Theory]
    [MemberData(nameof(LoadRows))]
    public void LoadExtendsAsSpecified(string op, int offset, ulong expected)
    {
        using var m = new TestMachine();
        m.Memory.Write(Data, Pattern);
        ulong address = Data + (ulong)offset;
        m[A0] = Data;
        m[A1] = address + 2048; // reached with the most negative immediate
        m[A5] = address - 2047; // and with the most positive one
        m.RunToEbreak(LoadOps[op](A2, A0, offset), LoadOps[op](A3, A1, -2048), LoadOps[op](A4, A5, 2047));
        Assert.Equal(expected, m[A2]);
        Assert.Equal(expected, m[A3]);
        Assert.Equal(expected, m[A4]);
    }

    public static TheoryData<string, int> StoreRows => new()
    {
        { "sb", 0 }, { "sb", 5 }, { "sb", 15 },
        { "sh", 0 }, { "sh", 6 }, { "sh", 1 }, { "sh", 7 },
        { "sw", 0 }, { "sw", 4 }, { "sw", 1 }, { "sw", 2 }, { "sw", 3 }, { "sw", 6 },
        { "sd", 0 }, { "sd", 8 }, { "sd", 1 }, { "sd", 2 }, { "sd", 3 }, { "sd", 4 }, { "sd", 5 }, { "sd", 6 }, { "sd", 7 },
    };

    [Theory]
    [MemberData(nameof(StoreRows))]
    public void StoreWritesExactlyItsWidth(string op, int offset)
    {
        const ulong value = 0x8877_6655_4433_2211;
        var (encode, width) = StoreOps[op];
        using var m = new TestMachine();
        m.Memory.Fill(Data - 16, 48, 0xEE);
        m[A0] = Data + (ulong)offset + 2048;
        m[A1] = value;
        m.RunToEbreak(encode(A0, A1, -2048));

        var actual = new byte[48];
        m.Memory.Read(Data - 16, actual);
        for (int i = 0; i < actual.Length; i++)
        {
            int k = i - 16 - offset;
            byte expected = k >= 0 && k < width ? (byte)(value >> (8 * k)) : (byte)0xEE;
            Assert.True(expected == actual[i], $"{op} at +{offset}: byte {i - 16} is 0x{actual[i]:x2}, expected 0x{expected:x2}");
        }
    }

    [Fact]
    public void StoreThenLoadRoundTripsEveryWidth()
    {
        using var m = new TestMachine();
        m[A0] = Data;
        m[A1] = 0xFEDC_BA98_7654_3210;
        m.RunToEbreak(
            Sd(A0, A1, 0), Ld(T0, A0, 0),
            Sw(A0, A1, 8), Lw(T1, A0, 8), Lwu(T2, A0, 8),
            Sh(A0, A1, 16), Lh(T3, A0, 16), Lhu(T4, A0, 16),
            Sb(A0, A1, 24), Lb(T5, A0, 24), Lbu(T6, A0, 24));
        Assert.Equal(0xFEDC_BA98_7654_3210UL, m[T0]);
        Assert.Equal(0x7654_3210UL, m[T1]);
        Assert.Equal(0x7654_3210UL, m[T2]);
        Assert.Equal(0x3210UL, m[T3]);
        Assert.Equal(0x3210UL, m[T4]);
        Assert.Equal(0x10UL, m[T5]);
        Assert.Equal(0x10UL, m[T6]);
    }

    [Theory]
    [InlineData(0xFFF, 2)]
    [InlineData(0xFFD, 4)]
    [InlineData(0xFFE, 4)]
    [InlineData(0xFFF, 4)]
    [InlineData(0xFF9, 8)]
    [InlineData(0xFFC, 8)]
    [InlineData(0xFFF, 8)]
    public void MisalignedAccessAcrossAPageInBareModeIsPerformed(int pageOffset, int width)
    {
        using var m = new TestMachine();
        ulong address = TestMachine.DataBase + 0x3000 + (ulong)pageOffset;
        m.Memory.Write(address - 8, Pattern);
        m[A0] = address;
        m[A1] = 0x0102_0304_0506_0708;
        m.RunToEbreak(
            width switch { 2 => Lhu(A2, A0, 0), 4 => Lwu(A2, A0, 0), _ => Ld(A2, A0, 0) },
            width switch { 2 => Sh(A0, A1, 0), 4 => Sw(A0, A1, 0), _ => Sd(A0, A1, 0) });
        ulong mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        Assert.Equal(BitConverter.ToUInt64(Pattern, 8) & mask, m[A2]);
        Assert.Equal(0x0102_0304_0506_0708UL & mask, width switch
        {
            2 => m.Memory.Read16(address),
            4 => m.Memory.Read32(address),
            _ => m.Memory.Read64(address),
        });
    }

    // Sv39 with two adjacent virtual pages on frames that are neither adjacent nor in order,
    // so a straddling access only works if each part is translated on its own.
    private const ulong LowPage = 0x10_0000, HighPage = LowPage + 0x1000;
    private const ulong LowFrame = TestMachine.DataBase + 0x5000, HighFrame = TestMachine.DataBase + 0x3000;
    private const ulong UserRwx = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D;

    private static TestMachine SplitPages(ulong highFlags = UserRwx, bool mapHigh = true)
    {
        var m = new TestMachine();
        m.EnableSv39();
        m.Map(Code, Code, UserRwx);
        m.Map(LowPage, LowFrame, UserRwx);
        if (mapHigh)
            m.Map(HighPage, HighFrame, highFlags);
        m.Memory.Write(LowFrame + 0xFF8, Pattern.AsSpan(0, 8));
        m.Memory.Write(HighFrame, Pattern.AsSpan(8, 8));
        return m;
    }

    [Theory]
    [InlineData(0xFFF, 2)]
    [InlineData(0xFFE, 4)]
    [InlineData(0xFFD, 4)]
    [InlineData(0xFFF, 4)]
    [InlineData(0xFF9, 8)]
    [InlineData(0xFFC, 8)]
    [InlineData(0xFFF, 8)]
    public void MisalignedLoadAcrossPagesInSv39ReadsBothFrames(int pageOffset, int width)
    {
        using var m = SplitPages();
        ulong va = LowPage + (ulong)pageOffset;
        m[A0] = va;
        m.RunToEbreak(width switch { 2 => Lh(A2, A0, 0), 4 => Lw(A2, A0, 0), _ => Ld(A2, A0, 0) });

        int start = pageOffset - 0xFF8;
        ulong expected = 0;
        for (int i = 0; i < width; i++)
            expected |= (ulong)Pattern[start + i] << (8 * i);
        // lh and lw sign-extend.
        if (width < 8)
            expected = (ulong)((long)(expected << (64 - 8 * width)) >> (64 - 8 * width));
        Assert.Equal(expected, m[A2]);
    }

    [Theory]
    [InlineData(0xFFF, 2)]
    [InlineData(0xFFE, 4)]
    [InlineData(0xFFD, 4)]
    [InlineData(0xFF9, 8)]
    [InlineData(0xFFC, 8)]
    [InlineData(0xFFF, 8)]
    public void MisalignedStoreAcrossPagesInSv39WritesBothFrames(int pageOffset, int width)
    {
        using var m = SplitPages();
        const ulong value = 0x8877_6655_4433_2211;
        ulong va = LowPage + (ulong)pageOffset;
        m[A0] = va;
        m[A1] = value;
        m.RunToEbreak(width switch { 2 => Sh(A0, A1, 0), 4 => Sw(A0, A1, 0), _ => Sd(A0, A1, 0) });

        for (int i = 0; i < width; i++)
        {
            ulong offset = (ulong)pageOffset + (ulong)i;
            ulong pa = offset < 0x1000 ? LowFrame + offset : HighFrame + (offset - 0x1000);
            Assert.Equal((byte)(value >> (8 * i)), m.Memory.Read8(pa));
        }
        // The byte after the store, on the high frame, is untouched.
        Assert.Equal(Pattern[8 + (pageOffset + width - 0x1000)], m.Memory.Read8(HighFrame + (ulong)(pageOffset + width - 0x1000)));
    }

    [Fact]
    public void StraddlingLoadFaultsOnTheUnmappedSecondPage()
    {
        using var m = SplitPages(mapHigh: false);
        m[A0] = LowPage + 0xFFC;
        m[A2] = 0x5555;
        m.Place(Code, Ld(A2, A0, 0), Ebreak());
        var trap = m.Run(Code);
        Assert.Equal(TrapCause.LoadPageFault, trap.Cause);
        Assert.Equal(Code, trap.Pc);
        // stval is the address of the part of the access that faulted (privileged spec).
        Assert.Equal(HighPage, trap.Value);
        Assert.Equal(0x5555UL, m[A2]);
    }

    [Fact]
    public void StraddlingStoreToAReadOnlySecondPageFaultsAndWritesNothing()
    {
        using var m = SplitPages(highFlags: Pte.V | Pte.R | Pte.U | Pte.A | Pte.D);
        m[A0] = LowPage + 0xFFA;
        m[A1] = ulong.MaxValue;
        m.Place(Code, Sd(A0, A1, 0), Ebreak());
        var trap = m.Run(Code);
        Assert.Equal(TrapCause.StorePageFault, trap.Cause);
        Assert.Equal(Code, trap.Pc);
        Assert.Equal(HighPage, trap.Value);
        var low = new byte[8];
        m.Memory.Read(LowFrame + 0xFF8, low);
        Assert.Equal(Pattern.AsSpan(0, 8).ToArray(), low);
        Assert.Equal(BitConverter.ToUInt64(Pattern, 8), m.Memory.Read64(HighFrame));
    }

    [Fact]
    public void StraddlingAccessFaultingOnTheFirstPageReportsTheAccessAddress()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(Code, Code, UserRwx);
        m.Map(HighPage, HighFrame, UserRwx);
        m[A0] = LowPage + 0xFFE;
        m.Place(Code, Lw(A2, A0, 0), Ebreak());
        var trap = m.Run(Code);
        Assert.Equal(TrapCause.LoadPageFault, trap.Cause);
        Assert.Equal(LowPage + 0xFFE, trap.Value);
    }

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x1000UL)]
    [InlineData(0x7FFF_FFF8UL)]
    [InlineData(PhysicalMemory.Base + TestMachine.DefaultMemorySize)]
    [InlineData(0xFFFF_FFFF_FFFF_FFF0UL)]
    public void AccessesOutsideRamInBareModeAreAccessFaults(ulong address)
    {
        using var m = new TestMachine();
        m[A0] = address;
        var trap = m.RunCode(Ld(A1, A0, 0));
        Assert.Equal(TrapCause.LoadAccessFault, trap.Cause);
        Assert.Equal(Code, trap.Pc);
        Assert.Equal(address, trap.Value);

        trap = m.RunCode(Sb(A0, A1, 0));
        Assert.Equal(TrapCause.StoreAccessFault, trap.Cause);
        Assert.Equal(address, trap.Value);
        Assert.Equal(0UL, m.Hart.Instret);
    }

    [Fact]
    public void MisalignedLoadRunningOffTheEndOfRamFaultsAtTheEnd()
    {
        using var m = new TestMachine();
        ulong end = PhysicalMemory.Base + TestMachine.DefaultMemorySize;
        m[A0] = end - 2;
        var trap = m.RunCode(Lw(A1, A0, 0));
        Assert.Equal(TrapCause.LoadAccessFault, trap.Cause);
        Assert.Equal(end, trap.Value);
    }

    [Fact]
    public void LastBytesOfRamAreAccessible()
    {
        using var m = new TestMachine();
        ulong end = PhysicalMemory.Base + TestMachine.DefaultMemorySize;
        m[A0] = end - 8;
        m[A1] = 0x1122_3344_5566_7788;
        m.RunToEbreak(Sd(A0, A1, 0), Ld(A2, A0, 0), Lbu(A3, A0, 7));
        Assert.Equal(0x1122_3344_5566_7788UL, m[A2]);
        Assert.Equal(0x11UL, m[A3]);
    }
}
