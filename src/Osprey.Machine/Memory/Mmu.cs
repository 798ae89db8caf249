using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Osprey.Machine.Cpu;

namespace Osprey.Machine.Memory;

/// <summary>
/// A hart's Sv39 memory-management unit: the page-table walk of the privileged specification
/// for user-mode accesses, and a software TLB in front of it.
///
/// The TLB is not coherent with page tables, as on real hardware: the host must call
/// <see cref="Flush()"/> or <see cref="Flush(ulong)"/> (what sfence.vma does) after changing a
/// PTE that may be cached. Writing <see cref="Satp"/> flushes everything, because the TLB is
/// not tagged with ASIDs.
///
/// Accessed and dirty bits: by default the walk sets A (and D for stores) itself, atomically,
/// as Svadu allows; with <see cref="UpdatesAccessedDirty"/> false it raises a page fault
/// instead, as Svade requires, so a kernel can track them in software.
/// </summary>
public sealed unsafe class Mmu : IDisposable
{
    public const int TlbSize = 1024;
    private const ulong TlbIndexMask = TlbSize - 1;

    private readonly PhysicalMemory _memory;
    private ulong _satp;

    // Three direct-mapped TLBs so that a hit needs no permission check: an entry is only
    // placed in the TLB of the access type the walk allowed.
    internal readonly TlbEntry* LoadTlb;
    internal readonly TlbEntry* StoreTlb;
    internal readonly TlbEntry* FetchTlb;

    public Mmu(PhysicalMemory memory)
    {
        _memory = memory;
        LoadTlb = (TlbEntry*)CacheLineBlock.Allocate((nuint)(TlbSize * 3 * sizeof(TlbEntry)));
        StoreTlb = LoadTlb + TlbSize;
        FetchTlb = StoreTlb + TlbSize;
        Flush();
    }

    public PhysicalMemory Memory => _memory;

    /// <summary>satp: MODE 0 (Bare: virtual = physical) or 8 (Sv39). Other modes are rejected.</summary>
    public ulong SatpValue
    {
        get => _satp;
        set
        {
            ulong mode = Satp.Mode(value);
            if (mode != Satp.ModeBare && mode != Satp.ModeSv39)
                throw new ArgumentException($"satp mode {mode} is not supported (only Bare and Sv39)", nameof(value));
            _satp = value;
            Flush();
        }
    }

    /// <summary>True (default): the walk sets A and D. False: a clear A, or a clear D on a store, is a page fault.</summary>
    public bool UpdatesAccessedDirty { get; set; } = true;

    /// <summary>Number of page-table walks (TLB misses) since creation: a figure for benchmarks.</summary>
    public long Walks { get; private set; }

    /// <summary>
    /// Bumped by every flush, so a hart's JIT can tell that its jump cache (virtual pc to
    /// translated code) may now lead somewhere the page tables no longer say.
    /// </summary>
    internal long Generation { get; private set; }

    /// <summary>Drops every cached translation.</summary>
    public void Flush()
    {
        Generation++;
        for (int i = 0; i < TlbSize * 3; i++)
        {
            LoadTlb[i].Tag = TlbEntry.Empty;
            LoadTlb[i].Addend = 0;
        }
    }

    /// <summary>Drops cached translations of the page containing <paramref name="virtualAddress"/>.</summary>
    public void Flush(ulong virtualAddress)
    {
        Generation++;
        ulong i = (virtualAddress >> 12) & TlbIndexMask;
        LoadTlb[i].Tag = TlbEntry.Empty;
        StoreTlb[i].Tag = TlbEntry.Empty;
        FetchTlb[i].Tag = TlbEntry.Empty;
    }

    /// <summary>
    /// Translates a virtual address for an access, walking the page tables (and setting A/D
    /// bits as configured). On failure <paramref name="fault"/> is the exception the access
    /// raises: an access fault or a page fault of the access's kind.
    /// </summary>
    public bool TryTranslate(ulong va, AccessType access, out ulong physicalAddress, out TrapCause fault)
    {
        Walks++;
        if (Satp.Mode(_satp) == Satp.ModeBare)
            return CheckRam(va, access, out physicalAddress, out fault);

        // Bits 63..39 must all equal bit 38.
        if ((ulong)(((long)va << 25) >> 25) != va)
            return Fail(PageFault(access), out physicalAddress, out fault);

        while (true)
        {
            ulong table = Satp.RootAddress(_satp);
            for (int level = 2; ; level--)
            {
                ulong pteAddress = table + ((va >> (12 + 9 * level)) & 0x1FF) * 8;
                if (!_memory.Contains(pteAddress, 8))
                    return Fail(AccessFault(access), out physicalAddress, out fault);
                ulong* ptep = (ulong*)_memory.Pointer(pteAddress);
                ulong pte = Volatile.Read(ref *ptep);

                if ((pte & Pte.V) == 0 || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0) || (pte & Pte.ReservedMask) != 0)
                    return Fail(PageFault(access), out physicalAddress, out fault);

                if ((pte & (Pte.R | Pte.X)) == 0)
                {
                    // A pointer to the next level; a pointer at the last level is invalid.
                    if (level == 0)
                        return Fail(PageFault(access), out physicalAddress, out fault);
                    table = Pte.Address(pte);
                    continue;
                }

                if (!LeafAllows(pte, access))
                    return Fail(PageFault(access), out physicalAddress, out fault);

                // A superpage's PPN must be aligned to its size.
                ulong lowPpnMask = (1UL << (9 * level)) - 1;
                ulong ppn = (pte >> Pte.PpnShift) & Pte.PpnMask;
                if ((ppn & lowPpnMask) != 0)
                    return Fail(PageFault(access), out physicalAddress, out fault);

                ulong needed = Pte.A | (access == AccessType.Store ? Pte.D : 0);
                if ((pte & needed) != needed)
                {
                    if (!UpdatesAccessedDirty)
                        return Fail(PageFault(access), out physicalAddress, out fault);
                    // Set A/D only if the PTE is unchanged since we read it; otherwise walk again.
                    if (Interlocked.CompareExchange(ref *ptep, pte | needed, pte) != pte)
                        break;
                }

                // The walk is done; whether the page is in RAM is a check on the physical
                // access that follows, so it comes after the A/D page fault above.
                ulong pa = ((ppn & ~lowPpnMask) | ((va >> 12) & lowPpnMask)) << 12 | (va & 0xFFF);
                if (!_memory.Contains(pa & ~0xFFFUL, PhysicalMemory.PageSize))
                    return Fail(AccessFault(access), out physicalAddress, out fault);

                physicalAddress = pa;
                fault = default;
                return true;
            }
        }
    }

    /// <summary>Translates and, on success, caches the page in the TLB of that access type.</summary>
    internal bool TranslateAndFill(ulong va, AccessType access, out ulong physicalAddress, out TrapCause fault)
    {
        if (!TryTranslate(va, access, out physicalAddress, out fault))
            return false;
        TlbEntry* tlb = access switch
        {
            AccessType.Load => LoadTlb,
            AccessType.Store => StoreTlb,
            _ => FetchTlb,
        };
        ulong page = va & ~0xFFFUL;
        ref TlbEntry e = ref tlb[(va >> 12) & TlbIndexMask];
        e.Tag = page;
        e.Addend = (long)_memory.Pointer(physicalAddress & ~0xFFFUL) - (long)page;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong TlbIndex(ulong va) => (va >> 12) & TlbIndexMask;

    private static bool LeafAllows(ulong pte, AccessType access)
    {
        if ((pte & Pte.U) == 0)
            return false;
        return access switch
        {
            AccessType.Fetch => (pte & Pte.X) != 0,
            AccessType.Load => (pte & Pte.R) != 0,
            _ => (pte & Pte.W) != 0,
        };
    }

    private bool CheckRam(ulong pa, AccessType access, out ulong physicalAddress, out TrapCause fault)
    {
        if (!_memory.Contains(pa & ~0xFFFUL, PhysicalMemory.PageSize))
            return Fail(AccessFault(access), out physicalAddress, out fault);
        physicalAddress = pa;
        fault = default;
        return true;
    }

    private static bool Fail(TrapCause cause, out ulong physicalAddress, out TrapCause fault)
    {
        physicalAddress = 0;
        fault = cause;
        return false;
    }

    public static TrapCause PageFault(AccessType access) => access switch
    {
        AccessType.Fetch => TrapCause.InstructionPageFault,
        AccessType.Load => TrapCause.LoadPageFault,
        _ => TrapCause.StorePageFault,
    };

    public static TrapCause AccessFault(AccessType access) => access switch
    {
        AccessType.Fetch => TrapCause.InstructionAccessFault,
        AccessType.Load => TrapCause.LoadAccessFault,
        _ => TrapCause.StoreAccessFault,
    };

    private bool _disposed;

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CacheLineBlock.Free(LoadTlb);
        }
        GC.SuppressFinalize(this);
    }

    ~Mmu() => Dispose();
}
