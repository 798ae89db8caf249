using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// Accessed and dirty bits in both of the specification's schemes: the walk sets them itself
/// (Svadu; Osprey's default), or a clear A, or a clear D on a store, is a page fault (Svade;
/// UpdatesAccessedDirty = false).
/// </summary>
public sealed class AccessedDirtyTests
{
    private const ulong Va = 0x50_0000;
    private const ulong Frame = TestMachine.DataBase + 0x6000;
    private const ulong Offset = 0x40;
    private const ulong Permissions = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U;

    private static TestMachine WithPage(ulong adBits, bool updates)
    {
        var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Hart.Mmu.UpdatesAccessedDirty = updates;
        m.Map(Va, Frame, Permissions | adBits);
        MmuProbe.FillWithEbreaks(m, Frame);
        return m;
    }

    [Theory]
    [InlineData(AccessKind.Fetch, false)]
    [InlineData(AccessKind.Load, false)]
    [InlineData(AccessKind.LoadReserved, false)]
    [InlineData(AccessKind.Store, true)]
    [InlineData(AccessKind.Amo, true)]
    public void TheWalkSetsAAndForWritesD(AccessKind kind, bool writes)
    {
        using var m = WithPage(0, updates: true);
        Assert.True(m.Hart.Mmu.UpdatesAccessedDirty);
        MmuProbe.ExpectAllowed(MmuProbe.Run(m, kind, Va + Offset), kind, Va + Offset);
        ulong pte = m.ReadPte(Va);
        Assert.Equal(Pte.Make(Frame, Permissions | Pte.A | (writes ? Pte.D : 0)), pte);
        // Pointer PTEs are left alone.
        Assert.Equal(Pte.V, m.Memory.Read64(m.PteAddress(Va, 1)) & 0x3FF);
        Assert.Equal(Pte.V, m.Memory.Read64(m.PteAddress(Va, 2)) & 0x3FF);
    }

    [Fact]
    public void DIsSetOnTheFirstStoreAfterLoads()
    {
        using var m = WithPage(0, updates: true);
        MmuProbe.Run(m, AccessKind.Load, Va + Offset);
        Assert.Equal(Pte.A, m.ReadPte(Va) & (Pte.A | Pte.D));
        MmuProbe.Run(m, AccessKind.Load, Va + Offset + 8);
        Assert.Equal(Pte.A, m.ReadPte(Va) & (Pte.A | Pte.D));
        MmuProbe.Run(m, AccessKind.Store, Va + Offset);
        Assert.Equal(Pte.A | Pte.D, m.ReadPte(Va) & (Pte.A | Pte.D));
    }

    [Fact]
    public void SuperpageLeavesGetTheirBitsSetToo()
    {
        using var m = new TestMachine(4UL << 20);
        MmuProbe.Prepare(m);
        const ulong va = 0x4000_0000;
        m.Map(va, PhysicalMemory.Base + 0x20_0000, Permissions, level: 1);
        MmuProbe.Run(m, AccessKind.Store, va + 0x1_0000);
        Assert.Equal(Pte.A | Pte.D, m.ReadPte(va, 1) & (Pte.A | Pte.D));
    }

    [Fact]
    public void AnAccessThatFaultsSetsNothing()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, Frame, Pte.V | Pte.R | Pte.U);
        MmuProbe.ExpectFault(MmuProbe.Run(m, AccessKind.Store, Va), AccessKind.Store, Va, TrapCause.StorePageFault);
        Assert.Equal(Pte.Make(Frame, Pte.V | Pte.R | Pte.U), m.ReadPte(Va));
    }

    public static TheoryData<AccessKind, ulong, bool> SvadeRows => new()
    {
        // A clear: every access faults.
        { AccessKind.Fetch, 0, false },
        { AccessKind.Load, 0, false },
        { AccessKind.LoadReserved, 0, false },
        { AccessKind.Store, 0, false },
        { AccessKind.Amo, 0, false },
        { AccessKind.StoreConditional, 0, false },
        // A set, D clear: reads and fetches work, writes fault.
        { AccessKind.Fetch, Pte.A, true },
        { AccessKind.Load, Pte.A, true },
        { AccessKind.LoadReserved, Pte.A, true },
        { AccessKind.Store, Pte.A, false },
        { AccessKind.Amo, Pte.A, false },
        { AccessKind.StoreConditional, Pte.A, false },
        // D set but A clear: still a fault, even for a store.
        { AccessKind.Store, Pte.D, false },
        { AccessKind.Load, Pte.D, false },
        // Both set: everything works.
        { AccessKind.Fetch, Pte.A | Pte.D, true },
        { AccessKind.Load, Pte.A | Pte.D, true },
        { AccessKind.Store, Pte.A | Pte.D, true },
        { AccessKind.Amo, Pte.A | Pte.D, true },
        { AccessKind.StoreConditional, Pte.A | Pte.D, true },
    };

    [Theory]
    [MemberData(nameof(SvadeRows))]
    public void WithoutUpdatesAClearBitIsAPageFault(AccessKind kind, ulong adBits, bool allowed)
    {
        using var m = WithPage(adBits, updates: false);
        var trap = MmuProbe.Run(m, kind, Va + Offset);
        if (allowed)
            MmuProbe.ExpectAllowed(trap, kind, Va + Offset);
        else
            MmuProbe.ExpectFault(trap, kind, Va + Offset, MmuProbe.PageFault(kind));
        // The hart never writes the PTE in this mode.
        Assert.Equal(Pte.Make(Frame, Permissions | adBits), m.ReadPte(Va));
    }

    [Fact]
    public void TheKernelSettingTheBitsLetsTheAccessThrough()
    {
        using var m = WithPage(0, updates: false);
        MmuProbe.ExpectFault(MmuProbe.Run(m, AccessKind.Store, Va), AccessKind.Store, Va, TrapCause.StorePageFault);
        m.Map(Va, Frame, Permissions | Pte.A);
        m.Hart.Mmu.Flush(Va);
        MmuProbe.ExpectAllowed(MmuProbe.Run(m, AccessKind.Load, Va), AccessKind.Load, Va);
        MmuProbe.ExpectFault(MmuProbe.Run(m, AccessKind.Store, Va), AccessKind.Store, Va, TrapCause.StorePageFault);
        m.Map(Va, Frame, Permissions | Pte.A | Pte.D);
        m.Hart.Mmu.Flush(Va);
        MmuProbe.ExpectAllowed(MmuProbe.Run(m, AccessKind.Store, Va), AccessKind.Store, Va);
    }

    [Fact]
    public void ALoadCachedBeforeDIsSetDoesNotLetAStoreThrough()
    {
        // The load fills the TLB with a read-only view of the page; the store must still walk.
        using var m = WithPage(Pte.A, updates: false);
        m[A0] = Va;
        m.Place(MmuProbe.Code, Ld(A1, A0, 0), Sd(A0, A1, 0), Ebreak());
        Assert.Equal(new Trap(TrapCause.StorePageFault, MmuProbe.Code + 4, Va), m.Run(MmuProbe.Code));
    }

    [Theory]
    [InlineData(AccessKind.Load)]
    [InlineData(AccessKind.Store)]
    [InlineData(AccessKind.Fetch)]
    public void WithoutUpdatesAClearAOutranksALeafOutsideRam(AccessKind kind)
    {
        // A/D are checked while translating (step 7 of the walk); RAM is only checked for the
        // physical access after translation succeeds, so the page fault wins.
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Hart.Mmu.UpdatesAccessedDirty = false;
        m.Map(Va, 0x1000_0000, Permissions);
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, Va), kind, Va, MmuProbe.PageFault(kind));
    }
}
