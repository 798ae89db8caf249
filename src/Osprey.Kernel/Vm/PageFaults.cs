using Osprey.Kernel.Proc;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>How the fault path answered.</summary>
public enum FaultResolution
{
    /// <summary>The page now allows the access: run the instruction (or the copy) again.</summary>
    Resolved,

    /// <summary>The address is not the process's to touch that way: it is killed (or the system call fails).</summary>
    NotMapped,

    /// <summary>The access was legal but needed a frame and none was left.</summary>
    OutOfMemory,
}

/// <summary>
/// The page-fault path. A user page fault comes here from the trap handler before anything
/// kills the process, and so does every kernel access to user memory (copyin, copyout) that
/// finds a page it may not touch yet, so a system call writing into a copy-on-write or
/// not-yet-present page works exactly like a user store would. The answer depends on the
/// leaf's software bits (<see cref="SoftwarePte"/>) and on where the address is:
///
///   store, Cow         copy the frame (or reuse it, when this entry holds its only reference)
///   store, Zero        take the frame the page reserved, zeroed
///   absent, below the  --lazy-sbrk's heap: a store gets a zeroed frame, a load the zero frame
///   break              (with a reservation, so the later store cannot fail)
///   anything else      not the process's: killed with today's one-line message
///
/// A fault that finds its page already allowing the access (resolved meanwhile) just
/// returns. Runs on the faulting thread, holding the range lock of the faulting page (a
/// user fault takes it here; a copy holds its whole range's already), so two threads of a
/// task faulting on one page resolve it once; otherwise with no lock held except what a
/// copy's caller holds (the console or a pipe lock): taking a frame takes kmem inside those.
/// </summary>
public static class PageFaults
{
    /// <summary>
    /// The trap handler's entry for a user page fault. True when the process may go on: the
    /// fault was resolved, or the process was killed for want of memory (with an "out of
    /// memory" line). False when the address was not the process's: the caller kills it with
    /// its usual message.
    /// </summary>
    public static bool HandleUserFault(Process p, Machine.Cpu.Trap trap)
    {
        PageTable table = p.PageTable!;
        FaultResolution result;
        using (table.Locks.Hold(trap.Value, trap.Value + 1))
            result = Resolve(table, trap.Value, AccessOf(trap.Cause));
        if (result == FaultResolution.Resolved)
            return true;
        if (result == FaultResolution.NotMapped)
            return false; // counted as Killed by CountKilled if no swexn handler takes it
        KillForMemory(table, p, $"{Describe(trap.Cause)} at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}");
        return true;
    }

    /// <summary>
    /// Counts a user page fault that ended its thread. Called by the trap handler only once a
    /// swexn handler has had its chance: a fault the program recovers from is not a kill.
    /// </summary>
    public static void CountKilled(Process p, Machine.Cpu.Trap trap)
    {
        if (trap.Cause is TrapCause.InstructionPageFault or TrapCause.LoadPageFault or TrapCause.StorePageFault)
            p.PageTable!.Vm.Count(p, FaultKind.Killed);
    }

    /// <summary>Resolves a fault of <paramref name="access"/> at <paramref name="va"/> in <paramref name="table"/>; the caller holds the page's range lock.</summary>
    public static FaultResolution Resolve(PageTable table, ulong va, AccessType access)
    {
        if (va >= PageTable.MaxVirtualAddress)
            return FaultResolution.NotMapped;
        ulong page = PageTable.RoundDown(va);
        ulong slot = table.Walk(page, create: false);
        ulong pte = slot == 0 ? 0 : table.Vm.Memory.Read64(slot);
        if ((pte & Pte.V) == 0)
            return LazyHeap(table, page, access);
        if ((pte & Pte.U) == 0)
            return FaultResolution.NotMapped; // the stack's guard page
        return access switch
        {
            AccessType.Store when (pte & Pte.W) != 0 => FaultResolution.Resolved,
            AccessType.Store when (pte & SoftwarePte.Cow) != 0 => CopyOnWrite(table, slot, page, pte),
            AccessType.Store when (pte & SoftwarePte.Zero) != 0 => ZeroFill(table, slot, page, pte),
            AccessType.Load when (pte & Pte.R) != 0 => FaultResolution.Resolved,
            AccessType.Fetch when (pte & Pte.X) != 0 => FaultResolution.Resolved,
            _ => FaultResolution.NotMapped,
        };
    }

    /// <summary>
    /// Whether the kernel may access [va, va+length) for the process as a user access of that
    /// kind would be allowed, after faults if need be: every page present with U and R (or W,
    /// Cow or Zero for a write), or in the lazy heap. Nothing is changed.
    /// </summary>
    public static bool Accessible(this PageTable table, ulong va, ulong length, bool write)
    {
        if (va + length < va || va + length > PageTable.MaxVirtualAddress)
            return false;
        ulong allowing = write ? Pte.W | SoftwarePte.Cow | SoftwarePte.Zero : Pte.R;
        for (ulong page = PageTable.RoundDown(va); page < va + length; page += PageTable.PageSize)
        {
            ulong pte = table.Lookup(page);
            bool ok = (pte & Pte.V) == 0 ? InLazyHeap(table, page) : (pte & Pte.U) != 0 && (pte & allowing) != 0;
            if (!ok)
                return false;
        }
        return true;
    }

    /// <summary>
    /// The physical address of <paramref name="va"/> for a kernel access on the process's
    /// behalf, resolving a fault first as the same user access would; 0 if the address is not
    /// the process's. Running out of memory kills the process, as it would a user store.
    /// </summary>
    public static ulong TranslateFor(this PageTable table, ulong va, AccessType access)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (va >= PageTable.MaxVirtualAddress)
                return 0;
            ulong pte = table.Lookup(va);
            ulong need = Pte.V | Pte.U | (access == AccessType.Store ? Pte.W : Pte.R);
            if ((pte & need) == need)
                return Pte.Address(pte) | (va & (PageTable.PageSize - 1));
            if (attempt > 0)
                return 0;
            FaultResolution result = Resolve(table, va, access);
            if (result == FaultResolution.OutOfMemory && table.Owner is { } owner)
                KillForMemory(table, owner, $"{(access == AccessType.Store ? "store" : "load")} by the kernel in a system call at addr=0x{va:x}");
            if (result != FaultResolution.Resolved)
                return 0;
        }
        return 0;
    }

    private static FaultResolution CopyOnWrite(PageTable table, ulong slot, ulong page, ulong pte)
    {
        VirtualMemory vm = table.Vm;
        ulong frame = Pte.Address(pte);
        ulong rights = (pte & ~SoftwarePte.Cow) | Pte.W;
        if (vm.References.Count(frame) == 1)
        {
            // The other sharers are gone: the frame is ours alone. Allowing more needs no flush.
            table.Replace(slot, page, rights, narrowed: false);
            vm.Count(table.Owner, FaultKind.CowReuse);
            return FaultResolution.Resolved;
        }
        ulong copy = vm.NewFrame(zeroed: false);
        if (copy == 0)
            return FaultResolution.OutOfMemory;
        vm.Memory.Copy(copy, frame, PageTable.PageSize);
        table.Replace(slot, page, Pte.Make(copy, rights & Flags), narrowed: true);
        vm.References.Release(frame);
        vm.Count(table.Owner, FaultKind.CowCopy);
        return FaultResolution.Resolved;
    }

    private static FaultResolution ZeroFill(PageTable table, ulong slot, ulong page, ulong pte)
    {
        VirtualMemory vm = table.Vm;
        ulong frame = vm.NewPromisedFrame();
        table.Replace(slot, page, Pte.Make(frame, (pte & Flags & ~SoftwarePte.Zero) | Pte.W), narrowed: true);
        vm.ZeroUnmapped(kept: true);
        vm.Count(table.Owner, FaultKind.ZeroFill);
        return FaultResolution.Resolved;
    }

    /// <summary>First touch of a lazy heap page: a frame for a store, the zero frame (and a reservation) for a load.</summary>
    private static FaultResolution LazyHeap(PageTable table, ulong page, AccessType access)
    {
        VirtualMemory vm = table.Vm;
        if (!InLazyHeap(table, page) || access == AccessType.Fetch)
            return FaultResolution.NotMapped;
        ulong slot = table.Walk(page, create: true);
        if (slot == 0)
            return FaultResolution.OutOfMemory;
        if (access == AccessType.Store)
        {
            ulong frame = vm.NewFrame(zeroed: true);
            if (frame == 0)
                return FaultResolution.OutOfMemory;
            table.Install(slot, page, Pte.Make(frame, Pte.V | Pte.R | Pte.W | Pte.U));
        }
        else
        {
            if (!vm.Promise(1))
                return FaultResolution.OutOfMemory;
            table.Install(slot, page, Pte.Make(VirtualMemory.ZeroFrame, Pte.V | Pte.R | Pte.U | SoftwarePte.Zero));
            vm.ZeroMapped();
        }
        vm.Count(table.Owner, FaultKind.LazyHeap);
        return FaultResolution.Resolved;
    }

    /// <summary>
    /// Whether an absent page is --lazy-sbrk's heap not touched yet: below the break (whole
    /// pages, as eager sbrk maps them). Everything below the heap was mapped by exec, so an
    /// absent page below the break can only be heap.
    /// </summary>
    private static bool InLazyHeap(PageTable table, ulong page) =>
        table.Vm.LazySbrk && table.Owner is { } p && page >= table.HeapStart && page < PageTable.RoundUp(p.Size);

    private static void KillForMemory(PageTable table, Process p, string what)
    {
        table.Vm.Count(p, FaultKind.Killed);
        table.Vm.Count(p, FaultKind.OutOfMemory);
        table.Vm.Report($"pid {p.Pid} {p.Name}: out of memory ({what}); killed\n");
        table.Vm.Kill(p);
    }

    /// <summary>The bits of a leaf kept when its frame changes: the rights and the software marks.</summary>
    private const ulong Flags = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | SoftwarePte.Cow | SoftwarePte.Zero;

    private static AccessType AccessOf(TrapCause cause) => cause switch
    {
        TrapCause.InstructionPageFault => AccessType.Fetch,
        TrapCause.LoadPageFault => AccessType.Load,
        _ => AccessType.Store,
    };

    private static string Describe(TrapCause cause) => cause switch
    {
        TrapCause.InstructionPageFault => "instruction page fault",
        TrapCause.LoadPageFault => "load page fault",
        _ => "store page fault",
    };
}
