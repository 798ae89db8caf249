using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// vmstat and failalloc: Osprey's virtual-memory calls (220-229).
public sealed partial class SystemCalls
{
    /// <summary>
    /// vmstat(st): fills struct vmstat (user.h, VMSTAT_WORDS 8-byte fields in this order) with
    /// the frame figures, the machine's page faults by kind and the caller's own; -1 for a bad
    /// pointer.
    /// </summary>
    private long Vmstat()
    {
        // Free slab objects kept per CPU give their frames back first, so free_frames is exact.
        kernel.Slabs.ShrinkAll();
        Process me = Me;
        VirtualMemory vm = kernel.Vm;
        FaultCounts all = vm.Faults, mine = me.VmFaults;
        ulong[] fields =
        [
            (vm.CopyOnWrite ? (ulong)AbiConstants.VM_COW : 0) | (vm.LazySbrk ? (ulong)AbiConstants.VM_LAZY_SBRK : 0),
            (ulong)vm.Frames.TotalFrames,
            (ulong)vm.Frames.FreeFrames,
            (ulong)vm.Reservations.Reserved,
            (ulong)vm.References.Shared,
            (ulong)vm.ZeroMappings,
            (ulong)vm.References.Referenced,
            (ulong)all[FaultKind.CowCopy],
            (ulong)all[FaultKind.CowReuse],
            (ulong)all[FaultKind.ZeroFill],
            (ulong)all[FaultKind.LazyHeap],
            (ulong)all[FaultKind.Killed],
            (ulong)all[FaultKind.OutOfMemory],
            (ulong)vm.Frames.Faults.Injected,
            (ulong)mine[FaultKind.CowCopy],
            (ulong)mine[FaultKind.CowReuse],
            (ulong)mine[FaultKind.ZeroFill],
            (ulong)mine[FaultKind.LazyHeap],
            me.Size,
            (ulong)(me.PageTable?.Resident ?? 0),
        ];
        if (fields.Length != AbiConstants.VMSTAT_WORDS)
            throw Panic.Now($"vmstat: {fields.Length} fields, but struct vmstat has {AbiConstants.VMSTAT_WORDS}");
        byte[] bytes = new byte[fields.Length * 8];
        for (int i = 0; i < fields.Length; i++)
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), fields[i]);
        return me.PageTable!.CopyOut(kernel.Memory, ArgAddress(0), bytes) ? 0 : -1;
    }

    /// <summary>
    /// failalloc(n): fault injection for tests. The caller's nth frame request from now (an
    /// allocation or a reservation, whatever the kernel makes it for) fails as if memory had
    /// run out; 0 stops counting. Returns how many requests the caller made since its previous
    /// failalloc, so a test can tell when n has passed the number a call makes; -1 for n &lt; 0.
    /// </summary>
    private long Failalloc()
    {
        int n = ArgInt(0);
        return n < 0 ? -1 : kernel.Frames.Faults.Arm(n);
    }
}
