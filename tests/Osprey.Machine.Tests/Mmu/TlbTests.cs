using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// The TLB is not coherent with the page tables, as on hardware: a changed PTE is used only
/// after Flush(va) or Flush() (sfence.vma), or a write to satp. These tests pin that Osprey
/// does cache (so a kernel that forgets to flush is caught) and that each flush works.
/// </summary>
public sealed class TlbTests
{
    private const ulong Code = MmuProbe.Code;
    private const ulong Va = 0x60_0000;
    private const ulong OldFrame = TestMachine.DataBase + 0x1000, NewFrame = TestMachine.DataBase + 0x2000;
    private const ulong Rwx = MmuProbe.UserRwx;

    // How the kernel tells the MMU: sfence.vma of one page, of everything, or a satp write.
    private const string FlushPage = "Flush(va)", FlushAll = "Flush()", SatpWrite = "satp write";

    private static TestMachine Remappable()
    {
        var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, OldFrame, Rwx);
        m.Memory.Write64(OldFrame, 1);
        m.Memory.Write64(NewFrame, 2);
        m[A0] = Va;
        m.Place(Code, Ld(A1, A0, 0), Ebreak());
        return m;
    }

    private static ulong LoadThroughVa(TestMachine m)
    {
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 4);
        return m[A1];
    }

    private static void DoFlush(TestMachine m, string how)
    {
        switch (how)
        {
            case FlushPage: m.Hart.Mmu.Flush(Va); break;
            case FlushAll: m.Hart.Mmu.Flush(); break;
            case SatpWrite: m.Hart.Mmu.SatpValue = m.Hart.Mmu.SatpValue; break;
            default: throw new ArgumentException(how, nameof(how));
        }
    }

    [Theory]
    [InlineData(FlushPage)]
    [InlineData(FlushAll)]
    [InlineData(SatpWrite)]
    public void ARemappedPageIsSeenOnlyAfterAFlush(string how)
    {
        using var m = Remappable();
        Assert.Equal(1UL, LoadThroughVa(m));
        m.Map(Va, NewFrame, Rwx);
        Assert.Equal(1UL, LoadThroughVa(m));
        DoFlush(m, how);
        Assert.Equal(2UL, LoadThroughVa(m));
    }

    [Theory]
    [InlineData(FlushPage)]
    [InlineData(FlushAll)]
    [InlineData(SatpWrite)]
    public void AnUnmappedPageStaysUsableUntilAFlush(string how)
    {
        using var m = Remappable();
        Assert.Equal(1UL, LoadThroughVa(m));
        m.Memory.Write64(m.PteAddress(Va, 0), 0);
        Assert.Equal(1UL, LoadThroughVa(m));
        DoFlush(m, how);
        Assert.Equal(new Trap(TrapCause.LoadPageFault, Code, Va), m.Run(Code));
    }

    [Fact]
    public void AWriteProtectedPageStaysWritableUntilAFlush()
    {
        using var m = Remappable();
        m[A2] = 7;
        m.Place(Code, Sd(A0, A2, 0), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 4);
        m.Map(Va, OldFrame, Pte.V | Pte.R | Pte.U | Pte.A | Pte.D);
        m[A2] = 8;
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 4);
        Assert.Equal(8UL, m.Memory.Read64(OldFrame));
        m.Hart.Mmu.Flush(Va);
        Assert.Equal(new Trap(TrapCause.StorePageFault, Code, Va), m.Run(Code));
        Assert.Equal(8UL, m.Memory.Read64(OldFrame));
    }

    [Fact]
    public void FlushOfOnePageLeavesTheChangeToAnotherUnseen()
    {
        using var m = Remappable();
        const ulong other = Va + 0x1000;
        m.Map(other, OldFrame, Rwx);
        m[A3] = other;
        m.Place(Code, Ld(A1, A0, 0), Ld(A4, A3, 0), Ebreak());
        m.Run(Code);
        m.Map(Va, NewFrame, Rwx);
        m.Map(other, NewFrame, Rwx);
        m.Hart.Mmu.Flush(Va);
        m.Run(Code);
        Assert.Equal(2UL, m[A1]);
        Assert.Equal(1UL, m[A4]);
    }

    [Theory]
    [InlineData(FlushPage)]
    [InlineData(FlushAll)]
    [InlineData(SatpWrite)]
    public void RemappedCodeRunsOnlyAfterAFlush(string how)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        ulong oldCode = TestMachine.DataBase + 0x3000, newCode = TestMachine.DataBase + 0x4000;
        m.Place(oldCode, Li(A0, 1), Ebreak());
        m.Place(newCode, Li(A0, 2), Ebreak());
        m.Map(Va, oldCode, MmuProbe.UserRx);
        m.Run(Va);
        Assert.Equal(1UL, m[A0]);

        m.Map(Va, newCode, MmuProbe.UserRx);
        m.Run(Va);
        Assert.Equal(1UL, m[A0]);

        DoFlush(m, how);
        TestMachine.ExpectBreakpoint(m.Run(Va), Va + 4);
        Assert.Equal(2UL, m[A0]);
    }

    [Fact]
    public void TryTranslateAlwaysWalks()
    {
        using var m = Remappable();
        Assert.Equal(1UL, LoadThroughVa(m));
        m.Map(Va, NewFrame, Rwx);
        Assert.True(m.Hart.Mmu.TryTranslate(Va, AccessType.Load, out ulong pa, out _));
        Assert.Equal(NewFrame, pa);
    }

    [Fact]
    public void SwitchingToAnotherAddressSpaceUsesItsTables()
    {
        // Two roots mapping Va differently: writing satp must not leave the other's entries behind.
        using var m = Remappable();
        ulong firstRoot = m.RootTable;
        Assert.Equal(1UL, LoadThroughVa(m));

        m.EnableSv39();
        m.Map(Code, Code, MmuProbe.UserRx);
        m.Map(Va, NewFrame, Rwx);
        Assert.Equal(2UL, LoadThroughVa(m));

        m.Hart.Mmu.SatpValue = Satp.Sv39(firstRoot);
        Assert.Equal(1UL, LoadThroughVa(m));
    }
}
