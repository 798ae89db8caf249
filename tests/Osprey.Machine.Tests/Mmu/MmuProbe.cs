using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Mmu;

/// <summary>
/// Runs one access of a given kind at a virtual address through a hart in Sv39, so that the
/// tests see the trap a program would: cause, sepc and stval.
/// </summary>
internal static class MmuProbe
{
    public const ulong Code = TestMachine.CodeBase;

    public const ulong UserRwx = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D;
    public const ulong UserRx = Pte.V | Pte.R | Pte.X | Pte.U | Pte.A;

    /// <summary>What a 0x00100073 word looks like in memory: fetch probes jump onto pages full of these.</summary>
    public const uint EbreakWord = 0x0010_0073;

    /// <summary>Switches <paramref name="m"/> to Sv39 with the code page mapped at its physical address.</summary>
    public static void Prepare(TestMachine m)
    {
        m.EnableSv39();
        m.Map(Code, Code, UserRx);
    }

    /// <summary>Fills a frame with ebreak instructions, so a successful fetch from it stops at once.</summary>
    public static void FillWithEbreaks(TestMachine m, ulong frame)
    {
        for (ulong a = frame; a < frame + PhysicalMemory.PageSize; a += 4)
            m.Memory.Write32(a, EbreakWord);
    }

    /// <summary>Performs the access at <paramref name="va"/> and returns the trap.</summary>
    public static Trap Run(TestMachine m, AccessKind kind, ulong va)
    {
        uint access = kind switch
        {
            AccessKind.Fetch => Jalr(Zero, A0, 0),
            AccessKind.Load => Ld(A1, A0, 0),
            AccessKind.Store => Sd(A0, A2, 0),
            AccessKind.Amo => AmoaddD(A1, A0, A2),
            AccessKind.LoadReserved => LrD(A1, A0),
            _ => ScD(A1, A0, A2),
        };
        m.Place(Code, access, Ebreak());
        m[A0] = va;
        m[A2] = 0x5EED;
        return m.Run(Code, 100);
    }

    /// <summary>Checks that the access went through: the run reached the ebreak after it (or, for a fetch, at the target).</summary>
    public static void ExpectAllowed(Trap trap, AccessKind kind, ulong va)
    {
        ulong stop = kind == AccessKind.Fetch ? va : Code + 4;
        Assert.True(trap.Cause == TrapCause.Breakpoint && trap.Pc == stop, $"{kind} at 0x{va:x} should be allowed, got {trap}");
    }

    /// <summary>Checks for the fault of <paramref name="kind"/>'s class: sepc at the access (the target for a fetch), stval the address.</summary>
    public static void ExpectFault(Trap trap, AccessKind kind, ulong va, TrapCause cause)
    {
        ulong pc = kind == AccessKind.Fetch ? va : Code;
        Assert.True(new Trap(cause, pc, va) == trap, $"{kind} at 0x{va:x} should raise {cause}, got {trap}");
    }

    public static TrapCause PageFault(AccessKind kind) => kind switch
    {
        AccessKind.Fetch => TrapCause.InstructionPageFault,
        AccessKind.Load or AccessKind.LoadReserved => TrapCause.LoadPageFault,
        _ => TrapCause.StorePageFault,
    };

    public static TrapCause AccessFault(AccessKind kind) => kind switch
    {
        AccessKind.Fetch => TrapCause.InstructionAccessFault,
        AccessKind.Load or AccessKind.LoadReserved => TrapCause.LoadAccessFault,
        _ => TrapCause.StoreAccessFault,
    };

    public static readonly AccessKind[] AllKinds = Enum.GetValues<AccessKind>();
}
