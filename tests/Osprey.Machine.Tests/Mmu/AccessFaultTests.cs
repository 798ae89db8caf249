using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// Physical addresses outside RAM, whether of a page table or of the page itself, are access
/// faults (causes 1, 5, 7) of the original access's kind, with stval the virtual address.
/// </summary>
public sealed class AccessFaultTests
{
    private const ulong Va = 0x30_0000;
    private const ulong Rwx = MmuProbe.UserRwx;
    private const ulong End = PhysicalMemory.Base + TestMachine.DefaultMemorySize;

    public static TheoryData<string, AccessKind> Rows()
    {
        string[] cases = ["leaf below RAM", "leaf at the end of RAM", "leaf far above RAM", "level-2 pointer outside RAM", "level-1 pointer outside RAM", "1 GiB page past the end of RAM"];
        var rows = new TheoryData<string, AccessKind>();
        foreach (string c in cases)
            foreach (AccessKind kind in MmuProbe.AllKinds)
                rows.Add(c, kind);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void OutsideRamIsAnAccessFault(string where, AccessKind kind)
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        ulong va = Va + 0x18;
        switch (where)
        {
            case "leaf below RAM":
                m.Map(Va, 0x1000_0000, Rwx);
                break;
            case "leaf at the end of RAM":
                m.Map(Va, End, Rwx);
                break;
            case "leaf far above RAM":
                m.Map(Va, 0x80_0000_0000_0000, Rwx);
                break;
            case "level-2 pointer outside RAM":
                m.Memory.Write64(m.PteAddress(Va, 2), Pte.Make(0x4000_0000, Pte.V));
                break;
            case "level-1 pointer outside RAM":
                m.Memory.Write64(m.PteAddress(Va, 1, create: true), Pte.Make(End + 0x10_0000, Pte.V));
                break;
            default:
                // The superpage starts in RAM, but this offset into it is beyond RAM's end.
                va = 0x4000_0000 + TestMachine.DefaultMemorySize + 0x18;
                m.Map(0x4000_0000, PhysicalMemory.Base, Rwx, level: 2);
                break;
        }
        MmuProbe.ExpectFault(MmuProbe.Run(m, kind, va), kind, va, MmuProbe.AccessFault(kind));
    }

    [Fact]
    public void RootTableOutsideRamFaultsTheFirstFetch()
    {
        using var m = new TestMachine();
        m.Place(MmuProbe.Code, Asm.Ebreak());
        m.Hart.Mmu.SatpValue = Satp.Sv39(0x1_0000_0000);
        Assert.Equal(new Trap(TrapCause.InstructionAccessFault, MmuProbe.Code, MmuProbe.Code), m.Run(MmuProbe.Code));
    }

    [Fact]
    public void TheLastPageOfRamIsReachable()
    {
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, End - PhysicalMemory.PageSize, Rwx);
        m.Memory.Write64(End - 8, 0xE0D);
        m[Asm.A0] = Va + 0xFF8;
        m.RunToEbreak(Asm.Ld(Asm.A1, Asm.A0, 0));
        Assert.Equal(0xE0DUL, m[Asm.A1]);
    }

    [Fact]
    public void TryTranslateReportsAccessFaults()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(Va, End, Rwx);
        foreach (AccessType access in Enum.GetValues<AccessType>())
        {
            Assert.False(m.Hart.Mmu.TryTranslate(Va, access, out _, out TrapCause fault));
            Assert.Equal(Osprey.Machine.Memory.Mmu.AccessFault(access), fault);
        }
    }
}
