using System.Buffers.Binary;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Trap;

/// <summary>
/// An upcall: the kernel making a user thread run a handler it did not call, then letting it
/// resume where it was. Pebbles' swexn (a fault handler on an exception stack) and signal
/// handlers are its two callers, and they differ only in where the handler and its stack come
/// from and in what the handler does at the end; the registers travel the same way:
///
/// <see cref="Deliver"/> writes the thread's registers as they are in its trap frame (the pc
/// of the faulting instruction, or the instruction after an interrupted system call with its
/// result in a0) as a <c>ureg_t</c> just below a stack top, 16-byte aligned, and points the
/// thread at the handler: pc = handler, sp = the ureg's address (the handler's own frames go
/// below it), ra = the return address the caller chose, a0 = the caller's argument, a1 = the
/// ureg's address. Every other register is left as it was, so the thread pointer and the
/// callee-saved registers are the interrupted code's. <see cref="Resume"/> reads a ureg back,
/// checks it, and makes it the thread's registers (sigreturn; swexn's newureg).
///
/// The ureg's layout is generated from abi/constants.tbl (UREG_*), so C and the kernel share
/// it: cause, addr, pc, status, x1..x31, f0..f31, fcsr. Writing and reading it go through the
/// page table's copyout/copyin, so a stack page that is copy-on-write or not yet present is
/// handled as a user store would be, and an unusable one makes the upcall fail cleanly.
/// </summary>
public static class Upcall
{
    /// <summary>The size of a ureg_t.</summary>
    public const int FrameBytes = AbiConstants.UREG_BYTES;

    /// <summary>The status bits a ureg may carry: all but these are privileged and refused.</summary>
    public const ulong UserStatusBits = AbiConstants.UREG_STATUS_FS;

    /// <summary>The fcsr bits that exist (frm and the flags); a ureg with others is refused.</summary>
    private const ulong FcsrBits = 0xff;

    /// <summary>
    /// Sends the thread in <paramref name="frame"/> to <paramref name="handler"/>, with its
    /// registers saved as a ureg below <paramref name="stackTop"/>. Returns the ureg's address, or
    /// 0 when the stack cannot hold it (unmapped, read-only, outside user space): then nothing
    /// in the frame has changed, and the caller decides the thread's fate (a fault with no
    /// usable handler kills, as if there were none).
    /// </summary>
    public static ulong Deliver(PageTable table, PhysicalMemory memory, TrapFrame frame,
        ulong cause, ulong faultAddress, ulong handler, ulong stackTop, ulong returnAddress, ulong argument)
    {
        if (stackTop > PageTable.MaxVirtualAddress || stackTop < FrameBytes + 16 || handler >= PageTable.MaxVirtualAddress)
            return 0;
        ulong ureg = (stackTop - FrameBytes) & ~15UL;
        Span<byte> bytes = stackalloc byte[FrameBytes];
        Encode(frame, cause, faultAddress, bytes);
        if (!table.CopyOut(memory, ureg, bytes))
            return 0;
        frame.Pc = handler;
        frame[TrapFrame.Sp] = ureg;
        frame[TrapFrame.Ra] = returnAddress;
        frame[TrapFrame.A0] = argument;
        frame[TrapFrame.A1] = ureg;
        return ureg;
    }

    /// <summary>
    /// Makes the ureg at <paramref name="ureg"/> the thread's registers. False, with nothing
    /// changed, when it cannot be read or is not one user mode could have: a status bit other
    /// than <see cref="UserStatusBits"/>, an fcsr bit that does not exist, a pc outside user
    /// space. A pc or sp that is in user space but unmapped is the program's own affair: it
    /// faults there, as any wild jump would.
    /// </summary>
    public static bool Resume(PageTable table, PhysicalMemory memory, TrapFrame frame, ulong ureg)
    {
        Span<byte> bytes = stackalloc byte[FrameBytes];
        return ureg < PageTable.MaxVirtualAddress && table.CopyIn(memory, bytes, ureg) && Decode(bytes, frame);
    }

    /// <summary>Writes <paramref name="frame"/>'s registers as a ureg.</summary>
    public static void Encode(TrapFrame frame, ulong cause, ulong faultAddress, Span<byte> ureg)
    {
        Put(ureg, AbiConstants.UREG_CAUSE, cause);
        Put(ureg, AbiConstants.UREG_ADDR, faultAddress);
        Put(ureg, AbiConstants.UREG_PC, frame.Pc);
        Put(ureg, AbiConstants.UREG_STATUS, UserStatusBits);
        for (int i = 1; i < 32; i++)
            Put(ureg, AbiConstants.UREG_X1 + 8 * (i - 1), frame[i]);
        for (int i = 0; i < 32; i++)
            Put(ureg, AbiConstants.UREG_F0 + 8 * i, frame.FloatRegister(i));
        Put(ureg, AbiConstants.UREG_FCSR, frame.Fcsr);
    }

    /// <summary>
    /// Loads a ureg into <paramref name="frame"/> after checking all of it first (see
    /// <see cref="Resume"/>); false, and the frame untouched, if any part is refused.
    /// </summary>
    public static bool Decode(ReadOnlySpan<byte> ureg, TrapFrame frame)
    {
        ulong pc = Get(ureg, AbiConstants.UREG_PC);
        ulong status = Get(ureg, AbiConstants.UREG_STATUS);
        ulong fcsr = Get(ureg, AbiConstants.UREG_FCSR);
        if ((status & ~UserStatusBits) != 0 || (fcsr & ~FcsrBits) != 0 || pc >= PageTable.MaxVirtualAddress)
            return false;
        frame.Pc = pc;
        for (int i = 1; i < 32; i++)
            frame[i] = Get(ureg, AbiConstants.UREG_X1 + 8 * (i - 1));
        for (int i = 0; i < 32; i++)
            frame.SetFloatRegister(i, Get(ureg, AbiConstants.UREG_F0 + 8 * i));
        frame.Fcsr = (uint)fcsr;
        return true;
    }

    private static void Put(Span<byte> ureg, int offset, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(ureg[offset..], value);

    private static ulong Get(ReadOnlySpan<byte> ureg, int offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(ureg[offset..]);
}
