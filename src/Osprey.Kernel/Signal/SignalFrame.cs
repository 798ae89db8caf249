using System.Buffers.Binary;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Trap;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Signal;

/// <summary>
/// A signal handler's entry and return, over the one upcall mechanism (Trap/Upcall.cs, which
/// Pebbles' swexn uses too). Below the interrupted sp go, 16-byte aligned, a signal record and
/// under it the ureg_t that the upcall writes:
///   record (32 bytes): magic "OSPRSIG\0", the signal, the blocked mask to restore, 0
///   ureg_t (UREG_BYTES): the interrupted registers, sp = its address while the handler runs.
/// The handler starts with a0 = the signal, a1 = the ureg, ra = the runtime's trampoline;
/// it must give sp back as it found it (the calling convention keeps sp), so sigreturn finds
/// the ureg at sp and the record just above it. sigreturn checks the record's magic and leaves
/// the ureg's own checks to the upcall's resume; the record is used up (its magic cleared), so
/// a second sigreturn from the same frame is refused.
/// </summary>
public static class SignalFrame
{
    public const int RecordBytes = 32;
    private const ulong Magic = 0x004749535250534F; // "OSPRSIG\0" as a little-endian word

    /// <summary>
    /// Enters <paramref name="handler"/> for <paramref name="sig"/>; false (the thread's registers
    /// unchanged) when the stack cannot take the frame.
    /// </summary>
    public static bool Push(PhysicalMemory memory, PageTable table, TrapFrame frame, int sig, int mask, ulong handler, ulong trampoline)
    {
        ulong sp = frame[TrapFrame.Sp];
        if (sp > PageTable.MaxVirtualAddress || sp < RecordBytes + Upcall.FrameBytes + 32)
            return false;
        ulong record = (sp - RecordBytes) & ~15UL;
        Span<byte> bytes = stackalloc byte[RecordBytes];
        Put(bytes, 0, Magic);
        Put(bytes, 1, (ulong)sig);
        Put(bytes, 2, (uint)mask);
        if (!table.CopyOut(memory, record, bytes))
            return false;
        ulong ureg = Upcall.Deliver(table, memory, frame, cause: 0, faultAddress: 0, handler, stackTop: record, returnAddress: trampoline, argument: (ulong)sig);
        if (ureg != 0 && ureg + Upcall.FrameBytes != record)
            throw Panic.Now($"signal frame: the ureg at 0x{ureg:x} does not end at its record 0x{record:x}");
        return ureg != 0;
    }

    /// <summary>
    /// sigreturn: restores the registers saved by <see cref="Push"/> from the ureg at sp and
    /// gives the mask to restore; false, with nothing changed, if sp holds no valid frame.
    /// </summary>
    public static bool Pop(PhysicalMemory memory, PageTable table, TrapFrame frame, out int mask)
    {
        mask = 0;
        ulong ureg = frame[TrapFrame.Sp];
        ulong record = ureg + Upcall.FrameBytes;
        Span<byte> bytes = stackalloc byte[RecordBytes];
        if ((ureg & 15) != 0 || record < ureg || !table.CopyIn(memory, bytes, record))
            return false;
        if (Get(bytes, 0) != Magic || !SignalState.Valid((int)Get(bytes, 1)) || Get(bytes, 2) > uint.MaxValue)
            return false;
        if (!Upcall.Resume(table, memory, frame, ureg))
            return false;
        mask = (int)Get(bytes, 2);
        table.CopyOut(memory, record, stackalloc byte[8]);
        return true;
    }

    private static void Put(Span<byte> bytes, int word, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(bytes[(word * 8)..], value);

    private static ulong Get(ReadOnlySpan<byte> bytes, int word) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[(word * 8)..]);
}
