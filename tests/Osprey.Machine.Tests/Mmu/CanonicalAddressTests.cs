using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>Sv39 virtual addresses must have bits 63..39 equal to bit 38; any other address is a page fault.</summary>
public sealed class CanonicalAddressTests
{
    private const ulong Rwx = MmuProbe.UserRwx;

    public static TheoryData<ulong, AccessKind> Rows()
    {
        ulong[] addresses =
        [
            0x0000_0040_0000_0000, // bit 38 set, upper bits clear
            0x0000_0080_0000_1000, // bit 39 alone
            0x0000_8000_0000_0000,
            0x8000_0000_0000_0000,
            0x7FFF_FFFF_FFFF_F000,
            0xFFFF_FFBF_FFFF_F000, // upper bits set, bit 38 clear
            0xFFFF_FF80_0000_0000,
        ];
        var rows = new TheoryData<ulong, AccessKind>();
        foreach (ulong a in addresses)
            foreach (AccessKind kind in MmuProbe.AllKinds)
                rows.Add(a, kind);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NonCanonicalAddressIsAPageFault(ulong va, AccessKind kind)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        // Map what the low 39 bits would select, so only the canonical check can refuse it.
        m.Map(va & 0x7F_FFFF_F000, TestMachine.DataBase, Rwx);
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, va), kind, va, MmuProbe.PageFault(kind));
    }

    [Fact]
    public void ACachedTranslationIsNotReusedForANonCanonicalAlias()
    {
        // Same low 39 bits, so the same TLB slot: the tag must still tell them apart.
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        const ulong canonical = 0xFFFF_FFC0_0000_1000;
        const ulong alias = 0x0000_0040_0000_1000;
        m.Map(canonical, TestMachine.DataBase, Rwx);
        m.Memory.Write64(TestMachine.DataBase, 123);
        m[A0] = canonical;
        m.RunToEbreak(Ld(A1, A0, 0), Sd(A0, A1, 8));
        Assert.Equal(123UL, m[A1]);

        foreach (AccessKind kind in new[] { AccessKind.Load, AccessKind.Store })
            MmuProbe.ExpectFault(MmuProbe.Run(m, kind, alias), kind, alias, MmuProbe.PageFault(kind));
    }

    [Fact]
    public void BareModeHasNoCanonicalCheckButNothingIsMappedUpThere()
    {
        // Without translation a high address is simply outside RAM: an access fault, not a page fault.
        using var m = new TestMachine();
        m[A0] = 0x0000_0040_0000_0000;
        var trap = m.RunCode(Ld(A1, A0, 0));
        Assert.Equal(Osprey.Machine.Cpu.TrapCause.LoadAccessFault, trap.Cause);
        Assert.False(m.Hart.Mmu.TryTranslate(0x0000_0040_0000_0000, AccessType.Load, out _, out _));
    }
}
