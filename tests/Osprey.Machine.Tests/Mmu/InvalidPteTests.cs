using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// Every PTE form the walk must reject with a page fault of the access's kind, at every level
/// it can occur: V = 0, W = 1 with R = 0, any of the reserved bits 63..54 (N and PBMT are
/// reserved too, as Svnapot and Svpbmt are not implemented), and a pointer at the last level.
/// A valid leaf in the same place is the control.
/// </summary>
public sealed class InvalidPteTests
{
    // vpn2 = 0, vpn1 = 0, vpn0 = 0x20. A 4 KiB leaf names Frame; 2 MiB and 1 GiB leaves name RAM's
    // base (aligned for both), and the low bits of Va then land them on the same Frame.
    private const ulong Va = 0x2_0000;
    private const ulong Frame = PhysicalMemory.Base + 0x2_0000;
    private const ulong Offset = 0x238;
    private const ulong Rwx = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D;

    // Each form as a function of the frame a leaf at that level must name to reach Frame.
    private static readonly Dictionary<string, Func<ulong, ulong>> LeafForms = new()
    {
        ["valid RWX (control)"] = pa => Pte.Make(pa, Rwx),
        ["all zero"] = _ => 0,
        ["V=0, RWX"] = pa => Pte.Make(pa, Rwx & ~Pte.V),
        ["W without R"] = pa => Pte.Make(pa, Pte.V | Pte.W | Pte.U | Pte.A | Pte.D),
        ["WX without R"] = pa => Pte.Make(pa, Pte.V | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D),
        ["reserved bit 54"] = pa => Pte.Make(pa, Rwx) | (1UL << 54),
        ["reserved bit 57"] = pa => Pte.Make(pa, Rwx) | (1UL << 57),
        ["reserved bit 60"] = pa => Pte.Make(pa, Rwx) | (1UL << 60),
        ["PBMT bit 61"] = pa => Pte.Make(pa, Rwx) | (1UL << 61),
        ["PBMT bit 62"] = pa => Pte.Make(pa, Rwx) | (1UL << 62),
        ["N bit 63"] = pa => Pte.Make(pa, Rwx) | (1UL << 63),
    };

    // Changes applied to a valid pointer PTE above the leaf: (bits to clear, bits to set).
    private static readonly Dictionary<string, (ulong Clear, ulong Set)> PointerForms = new()
    {
        ["pointer with V=0"] = (Pte.V, 0),
        ["pointer with W set"] = (0, Pte.W),
        ["pointer with reserved bit 54"] = (0, 1UL << 54),
        ["pointer with PBMT bit 61"] = (0, 1UL << 61),
        ["pointer with N bit 63"] = (0, 1UL << 63),
    };

    public static TheoryData<string, int, AccessKind> LeafRows()
    {
        var rows = new TheoryData<string, int, AccessKind>();
        foreach (string form in LeafForms.Keys)
            for (int level = 0; level <= 2; level++)
                foreach (AccessKind kind in MmuProbe.AllKinds)
                    rows.Add(form, level, kind);
        return rows;
    }

    public static TheoryData<string, int, AccessKind> PointerRows()
    {
        var rows = new TheoryData<string, int, AccessKind>();
        foreach (string form in PointerForms.Keys)
            for (int level = 1; level <= 2; level++)
                foreach (AccessKind kind in MmuProbe.AllKinds)
                    rows.Add(form, level, kind);
        return rows;
    }

    [Theory]
    [MemberData(nameof(LeafRows))]
    public void InvalidLeafIsAPageFault(string form, int level, AccessKind kind)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        MmuProbe.FillWithEbreaks(m, Frame);
        ulong leafTarget = level == 0 ? Frame : PhysicalMemory.Base;
        m.Memory.Write64(m.PteAddress(Va, level, create: true), LeafForms[form](leafTarget));

        var trap = MmuProbe.Run(m, kind, Va + Offset);
        if (form.EndsWith("(control)", StringComparison.Ordinal))
            MmuProbe.ExpectAllowed(trap, kind, Va + Offset);
        else
            MmuProbe.ExpectFault(trap, kind, Va + Offset, MmuProbe.PageFault(kind));
    }

    [Theory]
    [MemberData(nameof(PointerRows))]
    public void InvalidPointerIsAPageFault(string form, int level, AccessKind kind)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        MmuProbe.FillWithEbreaks(m, Frame);
        m.Map(Va, Frame, Rwx);
        MmuProbe.ExpectAllowed(MmuProbe.Run(m, kind, Va + Offset), kind, Va + Offset);

        ulong pointer = m.PteAddress(Va, level);
        var (clear, set) = PointerForms[form];
        m.Memory.Write64(pointer, (m.Memory.Read64(pointer) & ~clear) | set);
        m.Hart.Mmu.Flush();
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, Va + Offset), kind, Va + Offset, MmuProbe.PageFault(kind));
    }

    [Theory]
    [InlineData(AccessKind.Fetch)]
    [InlineData(AccessKind.Load)]
    [InlineData(AccessKind.Store)]
    [InlineData(AccessKind.Amo)]
    [InlineData(AccessKind.LoadReserved)]
    [InlineData(AccessKind.StoreConditional)]
    public void PointerAtTheLastLevelIsAPageFault(AccessKind kind)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        // A level-0 PTE with R = W = X = 0 would point to a fourth level, which Sv39 does not have.
        ulong table = m.AllocateTable();
        m.Memory.Write64(table + 0x20 * 8, Pte.Make(Frame, Rwx));
        m.Memory.Write64(m.PteAddress(Va, 0, create: true), Pte.Make(table, Pte.V));
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, Va + Offset), kind, Va + Offset, MmuProbe.PageFault(kind));
    }

    [Fact]
    public void NonLeafAccessedDirtyAndUserBitsAreIgnored()
    {
        // For pointers the specification reserves D, A and U for future use; software must clear
        // them but the walk does not check them, so a kernel that sets them is not faulted.
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, Frame, Rwx);
        for (int level = 1; level <= 2; level++)
        {
            ulong pointer = m.PteAddress(Va, level);
            m.Memory.Write64(pointer, m.Memory.Read64(pointer) | Pte.A | Pte.D | Pte.U | Pte.G);
        }
        MmuProbe.ExpectAllowed(MmuProbe.Run(m, AccessKind.Load, Va + Offset), AccessKind.Load, Va + Offset);
    }
}
