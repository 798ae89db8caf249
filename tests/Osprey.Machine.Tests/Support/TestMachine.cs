using Osprey.Machine.Cpu;
using Osprey.Machine.Jit;
using Osprey.Machine.Memory;
using Osprey.Machine.Time;

namespace Osprey.Machine.Tests.Support;

/// <summary>
/// A small machine for instruction-level tests: one hart on a few MiB of RAM, in Bare mode
/// unless a test builds Sv39 tables with <see cref="EnableSv39"/> and <see cref="Map"/>.
///
/// Physical layout (all inside the default 512 KiB):
///   CodeBase   0x8000_1000  code (the page below is left empty so code can jump "before" it)
///   DataBase   0x8001_0000  data
///   TablePool  0x8004_0000  page tables, handed out one frame at a time, up to 0x8008_0000
///
/// RAM is kept small on purpose: every test makes a fresh machine, and touching each new
/// host page of RAM (PhysicalMemory clears it) costs a page fault.
///
/// The hart runs under the JIT mode the environment gives (OSPREY_JIT, which ./test sets to
/// run these suites under each tier) unless a test names one.
/// </summary>
public sealed class TestMachine : IDisposable
{
    public const ulong DefaultMemorySize = 512UL << 10;
    public const ulong CodeBase = PhysicalMemory.Base + 0x1000;
    public const ulong DataBase = PhysicalMemory.Base + 0x1_0000;
    public const ulong TablePool = PhysicalMemory.Base + 0x4_0000;
    public const ulong TablePoolEnd = PhysicalMemory.Base + 0x8_0000;

    /// <summary>Enough for any straight-line test; small enough that a runaway loop fails fast.</summary>
    public const long DefaultBudget = 1_000_000;

    private ulong _nextTable = TablePool;

    public TestMachine(ulong memorySize = DefaultMemorySize, ITimeSource? time = null, JitOptions? jit = null)
    {
        Memory = new PhysicalMemory(memorySize);
        Hart = new Hart(Memory, 0, time, jit);
    }

    public PhysicalMemory Memory { get; }

    public Hart Hart { get; }

    public ulong this[int register]
    {
        get => Hart[register];
        set => Hart[register] = value;
    }

    /// <summary>The physical address of the Sv39 root table, once <see cref="EnableSv39"/> has made one.</summary>
    public ulong RootTable { get; private set; }

    // ---- code ---------------------------------------------------------------------------

    /// <summary>Writes 32-bit instruction words at <paramref name="address"/>; returns the address after them.</summary>
    public ulong Place(ulong address, params ReadOnlySpan<uint> words)
    {
        foreach (uint w in words)
        {
            Memory.Write32(address, w);
            address += 4;
        }
        return address;
    }

    /// <summary>Writes 16-bit (compressed) instruction words; returns the address after them.</summary>
    public ulong Place16(ulong address, params ReadOnlySpan<ushort> halves)
    {
        foreach (ushort h in halves)
        {
            Memory.Write16(address, h);
            address += 2;
        }
        return address;
    }

    /// <summary>Sets the pc and runs; the hart's registers and memory are whatever the test left.</summary>
    public Trap Run(ulong pc, long budget = DefaultBudget)
    {
        Hart.Pc = pc;
        return Hart.Run(budget);
    }

    /// <summary>Places <paramref name="words"/> at <see cref="CodeBase"/> followed by an ebreak, and runs them.</summary>
    public Trap RunCode(params ReadOnlySpan<uint> words)
    {
        ulong end = Place(CodeBase, words);
        Place(end, Asm.Ebreak());
        return Run(CodeBase);
    }

    /// <summary>
    /// Runs <paramref name="words"/> as <see cref="RunCode"/> does and checks that every one of
    /// them retired: the run must stop at the final ebreak and nowhere else.
    /// </summary>
    public void RunToEbreak(params ReadOnlySpan<uint> words)
    {
        Trap trap = RunCode(words);
        ExpectBreakpoint(trap, CodeBase + 4 * (ulong)words.Length);
    }

    public static void ExpectBreakpoint(Trap trap, ulong pc)
    {
        Assert.True(trap.Cause == TrapCause.Breakpoint && trap.Pc == pc,
            $"expected the ebreak at 0x{pc:x}, got {trap}");
    }

    // ---- Sv39 ---------------------------------------------------------------------------

    /// <summary>A zeroed frame from the page-table pool.</summary>
    public ulong AllocateTable()
    {
        if (_nextTable >= TablePoolEnd)
            throw new InvalidOperationException("test page-table pool exhausted");
        ulong table = _nextTable;
        _nextTable += PhysicalMemory.PageSize;
        Memory.Zero(table, PhysicalMemory.PageSize);
        return table;
    }

    /// <summary>Makes an empty root table and switches the hart to Sv39 translation through it.</summary>
    public void EnableSv39()
    {
        RootTable = AllocateTable();
        Hart.Mmu.SatpValue = Satp.Sv39(RootTable);
    }

    /// <summary>
    /// Writes a leaf PTE for <paramref name="va"/> at <paramref name="level"/> (0: 4 KiB page,
    /// 1: 2 MiB, 2: 1 GiB), making pointer tables above it as needed, and returns the PTE's
    /// physical address. <paramref name="flags"/> is written as given (include V); the MMU's
    /// TLB is not flushed, so map before running or flush.
    /// </summary>
    public ulong Map(ulong va, ulong pa, ulong flags, int level = 0)
    {
        ulong pteAddress = PteAddress(va, level, create: true);
        Memory.Write64(pteAddress, Pte.Make(pa, flags));
        return pteAddress;
    }

    /// <summary>Maps <paramref name="pages"/> consecutive 4 KiB pages.</summary>
    public void MapRange(ulong va, ulong pa, int pages, ulong flags)
    {
        for (int i = 0; i < pages; i++)
            Map(va + (ulong)i * PhysicalMemory.PageSize, pa + (ulong)i * PhysicalMemory.PageSize, flags);
    }

    /// <summary>The physical address of the PTE for <paramref name="va"/> at <paramref name="level"/>, creating pointer tables above it if asked.</summary>
    public ulong PteAddress(ulong va, int level, bool create = false)
    {
        if (RootTable == 0)
            throw new InvalidOperationException("call EnableSv39 first");
        ulong table = RootTable;
        for (int l = 2; ; l--)
        {
            ulong pteAddress = table + ((va >> (12 + 9 * l)) & 0x1FF) * 8;
            if (l == level)
                return pteAddress;
            ulong pte = Memory.Read64(pteAddress);
            if ((pte & Pte.V) == 0)
            {
                if (!create)
                    throw new InvalidOperationException($"no table at level {l - 1} for va 0x{va:x}");
                ulong next = AllocateTable();
                pte = Pte.Make(next, Pte.V);
                Memory.Write64(pteAddress, pte);
            }
            table = Pte.Address(pte);
        }
    }

    public ulong ReadPte(ulong va, int level = 0) => Memory.Read64(PteAddress(va, level));

    public void Dispose()
    {
        Hart.Dispose();
        Memory.Dispose();
    }
}
