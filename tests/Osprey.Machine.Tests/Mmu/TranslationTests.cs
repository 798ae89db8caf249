using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>Sv39 walks through hand-built tables: 4 KiB pages, 2 MiB and 1 GiB superpages, and Bare mode.</summary>
public sealed class TranslationTests
{
    private const ulong Code = MmuProbe.Code;
    private const ulong Rwx = MmuProbe.UserRwx;

    [Fact]
    public void FourKilobytePagesMapAnywhere()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        // Two adjacent virtual pages on frames in the opposite order, and a page far away.
        m.Map(0x1000, TestMachine.DataBase + 0x5000, Rwx);
        m.Map(0x2000, TestMachine.DataBase + 0x2000, Rwx);
        m.Map(0x3F_FFFF_F000, TestMachine.DataBase + 0x7000, Rwx);
        m.Memory.Write64(TestMachine.DataBase + 0x5008, 11);
        m.Memory.Write64(TestMachine.DataBase + 0x2FF8, 22);
        m.Memory.Write64(TestMachine.DataBase + 0x7FF8, 33);

        m[A0] = 0x1008;
        m[A1] = 0x2FF8;
        m[A2] = 0x3F_FFFF_FFF8;
        m[A3] = 44;
        m.RunToEbreak(Ld(T0, A0, 0), Ld(T1, A1, 0), Ld(T2, A2, 0), Sd(A0, A3, 8));
        Assert.Equal(11UL, m[T0]);
        Assert.Equal(22UL, m[T1]);
        Assert.Equal(33UL, m[T2]);
        Assert.Equal(44UL, m.Memory.Read64(TestMachine.DataBase + 0x5010));
    }

    [Fact]
    public void TryTranslateReturnsThePhysicalAddress()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(0x7000, TestMachine.DataBase + 0x3000, Rwx);
        foreach (AccessType access in Enum.GetValues<AccessType>())
        {
            Assert.True(m.Hart.Mmu.TryTranslate(0x7ABC, access, out ulong pa, out _));
            Assert.Equal(TestMachine.DataBase + 0x3ABC, pa);
        }
        Assert.False(m.Hart.Mmu.TryTranslate(0x8000, AccessType.Load, out _, out TrapCause fault));
        Assert.Equal(TrapCause.LoadPageFault, fault);
    }

    [Theory]
    [InlineData(0x0_0000UL)]
    [InlineData(0x1_2345UL)]
    [InlineData(0x1F_FFF8UL)]
    public void TwoMegabyteSuperpageMapsEveryOffset(ulong offset)
    {
        using var m = new TestMachine(4UL << 20);
        MmuProbe.Prepare(m);
        const ulong va = 0x4000_0000 + 0x60_0000; // 2 MiB aligned
        const ulong pa = PhysicalMemory.Base + 0x20_0000;
        m.Map(va, pa, Rwx, level: 1);
        ulong aligned = offset & ~7UL;
        m.Memory.Write64(pa + aligned, 0xABCD_0000 + offset);

        m[A0] = va + aligned;
        m[A2] = 0x77;
        m.RunToEbreak(Ld(A1, A0, 0), Sb(A0, A2, 1));
        Assert.Equal(0xABCD_0000 + offset, m[A1]);
        Assert.Equal((byte)0x77, m.Memory.Read8(pa + aligned + 1));
        Assert.True(m.Hart.Mmu.TryTranslate(va + offset, AccessType.Fetch, out ulong translated, out _));
        Assert.Equal(pa + offset, translated);
    }

    [Fact]
    public void OneGigabyteSuperpageCoversRam()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        const ulong va = 0x1_0000_0000; // vpn2 = 4
        m.Map(va, PhysicalMemory.Base, Rwx, level: 2);
        m.Memory.Write64(TestMachine.DataBase + 0x100, 0x1111);
        m.Memory.Write64(PhysicalMemory.Base + TestMachine.DefaultMemorySize - 8, 0x2222);

        m[A0] = va + (TestMachine.DataBase - PhysicalMemory.Base) + 0x100;
        m[A1] = va + TestMachine.DefaultMemorySize - 8;
        m.RunToEbreak(Ld(T0, A0, 0), Ld(T1, A1, 0));
        Assert.Equal(0x1111UL, m[T0]);
        Assert.Equal(0x2222UL, m[T1]);
    }

    [Fact]
    public void CodeRunsFromASuperpage()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        const ulong va = 0x40_0000; // 2 MiB superpage over the first 2 MiB of RAM
        m.Map(va, PhysicalMemory.Base, MmuProbe.UserRx, level: 1);
        ulong codeVa = va + (Code - PhysicalMemory.Base);
        m.Place(Code, Auipc(A0, 0), Addi(A1, Zero, 5), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(codeVa), codeVa + 8);
        Assert.Equal(codeVa, m[A0]);
    }

    public static TheoryData<int, ulong, AccessKind> MisalignedSuperpages()
    {
        var rows = new TheoryData<int, ulong, AccessKind>();
        foreach (AccessKind kind in MmuProbe.AllKinds)
        {
            rows.Add(1, PhysicalMemory.Base + 0x1000, kind);    // ppn[0] != 0
            rows.Add(2, PhysicalMemory.Base + 0x1000, kind);    // ppn[0] != 0
            rows.Add(2, PhysicalMemory.Base + 0x20_0000, kind); // ppn[1] != 0
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(MisalignedSuperpages))]
    public void MisalignedSuperpageIsAPageFault(int level, ulong pa, AccessKind kind)
    {
        using var m = new TestMachine(4UL << 20);
        MmuProbe.Prepare(m);
        const ulong va = 0x4000_0000; // aligned for both sizes
        m.Map(va, pa, Rwx, level);
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, va + 0x40), kind, va + 0x40, MmuProbe.PageFault(kind));
    }

    [Fact]
    public void TheNegativeCanonicalHalfTranslates()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        const ulong top = 0xFFFF_FFFF_FFFF_F000;    // vpn2 = vpn1 = vpn0 = 0x1FF
        const ulong bottom = 0xFFFF_FFC0_0000_0000; // the lowest canonical negative address, vpn2 = 0x100
        m.Map(top, TestMachine.DataBase + 0x1000, Rwx);
        m.Map(bottom, TestMachine.DataBase + 0x2000, Rwx);
        m.Memory.Write64(TestMachine.DataBase + 0x1FF8, 5);
        m.Memory.Write64(TestMachine.DataBase + 0x2000, 6);
        m[A0] = top + 0xFF8;
        m[A1] = bottom;
        m.RunToEbreak(Ld(T0, A0, 0), Ld(T1, A1, 0));
        Assert.Equal(5UL, m[T0]);
        Assert.Equal(6UL, m[T1]);
        Assert.Equal(m.RootTable + 0x1FF * 8, m.PteAddress(top, 2));
        Assert.Equal(m.RootTable + 0x100 * 8, m.PteAddress(bottom, 2));
    }

    [Fact]
    public void BareModeIsTheIdentityOverRam()
    {
        using var m = new TestMachine();
        Assert.Equal(0UL, m.Hart.Mmu.SatpValue);
        foreach (AccessType access in Enum.GetValues<AccessType>())
        {
            Assert.True(m.Hart.Mmu.TryTranslate(TestMachine.DataBase + 0x123, access, out ulong pa, out _));
            Assert.Equal(TestMachine.DataBase + 0x123, pa);
            Assert.False(m.Hart.Mmu.TryTranslate(0x1000, access, out _, out TrapCause fault));
            Assert.Equal(Osprey.Machine.Memory.Mmu.AccessFault(access), fault);
        }
    }

    [Fact]
    public void SwitchingBackToBareStopsTranslating()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(TestMachine.DataBase, TestMachine.DataBase + 0x1000, Rwx);
        m.Memory.Write64(TestMachine.DataBase, 1);
        m.Memory.Write64(TestMachine.DataBase + 0x1000, 2);
        m[A0] = TestMachine.DataBase;
        m.RunToEbreak(Ld(A1, A0, 0));
        Assert.Equal(2UL, m[A1]);

        m.Hart.Mmu.SatpValue = 0;
        m.RunToEbreak(Ld(A1, A0, 0));
        Assert.Equal(1UL, m[A1]);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(9UL)]   // Sv48
    [InlineData(10UL)]  // Sv57
    [InlineData(15UL)]
    public void UnsupportedSatpModesAreRejected(ulong mode)
    {
        using var m = new TestMachine();
        m.EnableSv39();
        ulong before = m.Hart.Mmu.SatpValue;
        Assert.Throws<ArgumentException>(() => m.Hart.Mmu.SatpValue = (mode << 60) | (m.RootTable >> 12));
        Assert.Equal(before, m.Hart.Mmu.SatpValue);
    }

    [Fact]
    public void TheAsidFieldDoesNotChangeTranslation()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(0x5000, TestMachine.DataBase, Rwx);
        m.Memory.Write64(TestMachine.DataBase, 99);
        m.Hart.Mmu.SatpValue = Satp.Sv39(m.RootTable, asid: 0xFFFF);
        Assert.Equal(m.RootTable, Satp.RootAddress(m.Hart.Mmu.SatpValue));
        m[A0] = 0x5000;
        m.RunToEbreak(Ld(A1, A0, 0));
        Assert.Equal(99UL, m[A1]);
    }
}
