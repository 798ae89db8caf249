using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// Leaf permissions against every kind of access, for a user-mode hart: X to fetch, R to
/// load (and LR), W to store (and to AMOs and SC, which are stores even when the SC fails),
/// and U on all of them. A and D are set throughout so that only R/W/X/U matter.
/// </summary>
public sealed class PermissionTests
{
    private const ulong Va = 0x20_0000;
    private const ulong Frame = TestMachine.DataBase + 0x4000;
    private const ulong Offset = 0x238; // aligned for every access width, and not 0 so stval is distinguishable
    private const ulong AD = Pte.V | Pte.A | Pte.D;

    private const TrapCause Ok = (TrapCause)(-1);
    private const TrapCause Ipf = TrapCause.InstructionPageFault;
    private const TrapCause Lpf = TrapCause.LoadPageFault;
    private const TrapCause Spf = TrapCause.StorePageFault;

    // The expected outcome of Fetch, Load, Store, Amo, LoadReserved, StoreConditional, straight from
    // the privileged specification's permission rules.
    private static readonly (string Name, ulong Flags, TrapCause[] Outcomes)[] Matrix =
    [
        ("R", Pte.R | Pte.U, [Ipf, Ok, Spf, Spf, Ok, Spf]),
        ("RW", Pte.R | Pte.W | Pte.U, [Ipf, Ok, Ok, Ok, Ok, Ok]),
        ("X", Pte.X | Pte.U, [Ok, Lpf, Spf, Spf, Lpf, Spf]),
        ("RX", Pte.R | Pte.X | Pte.U, [Ok, Ok, Spf, Spf, Ok, Spf]),
        ("RWX", Pte.R | Pte.W | Pte.X | Pte.U, [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("R, U=0", Pte.R, [Ipf, Lpf, Spf, Spf, Lpf, Spf]),
        ("RW, U=0", Pte.R | Pte.W, [Ipf, Lpf, Spf, Spf, Lpf, Spf]),
        ("X, U=0", Pte.X, [Ipf, Lpf, Spf, Spf, Lpf, Spf]),
        ("RWX, U=0", Pte.R | Pte.W | Pte.X, [Ipf, Lpf, Spf, Spf, Lpf, Spf]),
        ("RWX, U=1, G=1", Pte.R | Pte.W | Pte.X | Pte.U | Pte.G, [Ok, Ok, Ok, Ok, Ok, Ok]),
    ];

    public static TheoryData<string, AccessKind> Rows()
    {
        var rows = new TheoryData<string, AccessKind>();
        foreach (var (name, _, _) in Matrix)
            foreach (AccessKind kind in MmuProbe.AllKinds)
                rows.Add(name, kind);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LeafPermissionsDecideTheOutcome(string permissions, AccessKind kind)
    {
        var (_, flags, outcomes) = Matrix.Single(p => p.Name == permissions);
        TrapCause expected = outcomes[(int)kind];

        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, Frame, flags | AD);
        MmuProbe.FillWithEbreaks(m, Frame);
        ulong va = Va + Offset;
        var trap = MmuProbe.Run(m, kind, va);

        if (expected == Ok)
        {
            MmuProbe.ExpectAllowed(trap, kind, va);
            if (kind == AccessKind.Store || kind == AccessKind.Amo)
                Assert.Equal(kind == AccessKind.Store ? 0x5EEDUL : MmuProbe.EbreakWord * 0x1_0000_0001UL + 0x5EED, m.Memory.Read64(Frame + Offset));
            if (kind == AccessKind.StoreConditional)
                Assert.Equal(1UL, m[A1]); // no reservation: fails, but is allowed
        }
        else
        {
            MmuProbe.ExpectFault(trap, kind, va, expected);
            // A faulting access changes nothing.
            Assert.Equal(MmuProbe.EbreakWord * 0x1_0000_0001UL, m.Memory.Read64(Frame + Offset));
            Assert.Equal(kind == AccessKind.Fetch ? 1UL : 0UL, m.Hart.Instret); // a fetch fault follows the jump
        }
    }

    [Fact]
    public void ScWithAReservationOnAReadOnlyPageIsAStorePageFault()
    {
        // LR is allowed on a read-only page; the SC that follows is a store and must not retire.
        using var m = new TestMachine();
        MmuProbe.Prepare(m);
        m.Map(Va, Frame, Pte.R | Pte.U | AD);
        m.Memory.Write64(Frame, 7);
        m[A0] = Va;
        m[A2] = 9;
        m.Place(MmuProbe.Code, LrD(A1, A0), ScD(A3, A0, A2), Ebreak());
        var trap = m.Run(MmuProbe.Code);
        Assert.Equal(new Trap(TrapCause.StorePageFault, MmuProbe.Code + 4, Va), trap);
        Assert.Equal(7UL, m[A1]);
        Assert.Equal(7UL, m.Memory.Read64(Frame));
    }

    [Theory]
    [InlineData(AccessKind.Load)]
    [InlineData(AccessKind.Store)]
    [InlineData(AccessKind.Fetch)]
    public void TryTranslateAppliesTheSamePermissions(AccessKind kind)
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(Va, Frame, Pte.R | Pte.U | AD);
        var type = kind switch { AccessKind.Load => AccessType.Load, AccessKind.Store => AccessType.Store, _ => AccessType.Fetch };
        bool ok = m.Hart.Mmu.TryTranslate(Va + 0x10, type, out ulong pa, out TrapCause fault);
        if (kind == AccessKind.Load)
        {
            Assert.True(ok);
            Assert.Equal(Frame + 0x10, pa);
        }
        else
        {
            Assert.False(ok);
            Assert.Equal(MmuProbe.PageFault(kind), fault);
        }
    }
}
