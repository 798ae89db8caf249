using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// lockstat and freepages: Osprey's own statistics calls.
public sealed partial class SystemCalls
{
    private const int LockstatFlags = AbiConstants.LOCKSTAT_INSTANCES | AbiConstants.LOCKSTAT_RESET;

    /// <summary>
    /// lockstat(buf, size, flags): the lock_stat table (Sync/LockReports.cs) as text, its first
    /// size bytes copied to buf (no terminating NUL). Returns the whole table's length, which may
    /// be more than size (call again with a bigger buffer), or -1 for a bad buffer, a negative
    /// size or an unknown flag. LOCKSTAT_INSTANCES adds a row per lock under each class of
    /// several; LOCKSTAT_RESET zeroes every lock's counters once the figures are taken.
    /// </summary>
    private long Lockstat()
    {
        int size = ArgInt(1), flags = ArgInt(2);
        if ((flags & ~LockstatFlags) != 0 || !ArgUserRange(0, size, writable: true, out var buffer))
            return -1;
        byte[] table = System.Text.Encoding.UTF8.GetBytes(LockReports.LockStat(kernel.Locks, (flags & AbiConstants.LOCKSTAT_INSTANCES) != 0));
        if ((flags & AbiConstants.LOCKSTAT_RESET) != 0)
            kernel.Locks.ResetAll();
        if (!buffer.CopyOut(0, table.AsSpan(0, Math.Min(size, table.Length))))
            return -1;
        return table.Length;
    }

    /// <summary>
    /// freepages(total): the frames free now, exactly (the count the leak checks use), and the
    /// frames RAM has in all stored at total unless it is 0; -1 for a bad pointer. The slab
    /// caches' per-CPU magazines are emptied first, so a frame held only by free objects counts
    /// as free (the count is the same whichever CPUs freed what).
    /// </summary>
    private long Freepages()
    {
        kernel.Slabs.ShrinkAll();
        ulong totalAddress = ArgAddress(0);
        if (totalAddress != 0 && !Me.PageTable!.CopyOut(kernel.Memory, totalAddress, BitConverter.GetBytes((int)kernel.Frames.TotalFrames)))
            return -1;
        return kernel.Frames.FreeFrames;
    }
}
