using Osprey.Kernel.Proc;
using Osprey.Kernel.Trap;
using Osprey.Kernel.Vm;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Pebbles;

/// <summary>
/// Pebbles' software exception handlers (swexn), on the fault side: a fault in user mode
/// that the kernel does not resolve itself (a page fault outside the thread's memory or
/// against its rights, an illegal instruction, a breakpoint, a misaligned or refused access)
/// goes to the faulting thread's registered handler instead of killing it. The handler is
/// deregistered first (a fault inside it kills, and it registers again if it wants more), and
/// the thread's registers at the fault go below its exception stack as a ureg_t through the
/// one upcall path (Trap/Upcall.cs, shared with signals): the handler runs as
/// eip(arg, ureg) with sp just below the ureg and a return address that faults
/// (<see cref="ReturnAddress"/>), since a handler must leave through swexn's newureg (or
/// vanish). If the exception stack cannot take the ureg, the fault is treated as unhandled.
/// </summary>
public static class ExceptionHandlers
{
    /// <summary>
    /// Where a handler that returns goes: the first address above user space, which no
    /// program can map, so returning faults (and, the handler being deregistered, kills).
    /// </summary>
    public const ulong ReturnAddress = PageTable.MaxVirtualAddress;

    /// <summary>Whether esp3 and eip are a registration swexn accepts: both inside user space, esp3 room for a ureg above 0.</summary>
    public static bool UsableStack(ulong esp3, ulong eip) =>
        esp3 <= PageTable.MaxVirtualAddress && esp3 >= Upcall.FrameBytes + 16 && eip < PageTable.MaxVirtualAddress;

    /// <summary>
    /// Runs the faulting thread's handler for <paramref name="trap"/>, if it has one that can
    /// be delivered; false to let the fault kill as usual. Called on the thread itself, from
    /// the trap handler, with the registers of the fault in its trap frame.
    /// </summary>
    public static bool TryDeliver(UserThread t, PhysicalMemory memory, Machine.Cpu.Trap trap)
    {
        if (t.ExceptionHandler is not { } handler)
            return false;
        t.ExceptionHandler = null;
        t.TrapFrame.Pc = trap.Pc;
        ulong address = HasAddress(trap.Cause) ? trap.Value : 0;
        return Upcall.Deliver(t.Task.PageTable!, memory, t.TrapFrame, (ulong)trap.Cause, address,
            handler.Handler, handler.Stack, ReturnAddress, handler.Argument) != 0;
    }

    /// <summary>The causes whose trap value (stval) is the faulting address.</summary>
    private static bool HasAddress(TrapCause cause) => cause is TrapCause.InstructionAddressMisaligned
        or TrapCause.InstructionAccessFault or TrapCause.LoadAddressMisaligned or TrapCause.LoadAccessFault
        or TrapCause.StoreAddressMisaligned or TrapCause.StoreAccessFault or TrapCause.InstructionPageFault
        or TrapCause.LoadPageFault or TrapCause.StorePageFault;
}
