using System.Diagnostics;
using System.Text;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Emulation;

/// <summary>
/// <c>osprey emulate</c>: runs one static RV64 program on one hart in an address space of its
/// own, answering only write and exit. A test and benchmark harness for the machine, in the
/// way qemu-riscv64 is one for QEMU's CPU; the kernel is elsewhere.
/// </summary>
public sealed class Emulator
{
    /// <summary>Top of the initial stack; the page above it and the one below the stack stay unmapped.</summary>
    public const ulong StackTop = 0x3F_F000_0000;

    private const int AuxPageSize = 6;
    private const long SliceInstructions = 1 << 24;

    private readonly EmulatorOptions _options;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly TextWriter _diagnostics;
    private readonly string _name;

    private Emulator(string name, EmulatorOptions options, Stream stdout, Stream stderr, TextWriter diagnostics)
    {
        _name = name;
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Loads and runs <paramref name="elf"/> with <paramref name="argv"/> (argv[0] is the
    /// program's name). Guest writes to fds 1 and 2 go to the given streams; the harness's own
    /// messages (faults, unsupported calls) go to <paramref name="diagnostics"/>.
    /// Throws <see cref="FormatException"/> for a file that is not a static RV64 executable.
    /// </summary>
    public static EmulationResult Run(byte[] elf, IReadOnlyList<string> argv, EmulatorOptions options,
        Stream stdout, Stream stderr, TextWriter diagnostics)
    {
        var image = ElfImage.Parse(elf);
        string name = argv.Count > 0 ? argv[0] : "program";
        return new Emulator(name, options, stdout, stderr, diagnostics).Execute(image, elf, argv);
    }

    private EmulationResult Execute(ElfImage image, byte[] elf, IReadOnlyList<string> argv)
    {
        using var memory = new PhysicalMemory(_options.MemoryBytes);
        using var hart = new Hart(memory, jit: _options.Jit);
        var space = new AddressSpaceBuilder(memory);
        Load(space, image, elf);
        ulong sp = BuildStack(space, argv, out ulong argvAddress);

        hart.Mmu.SatpValue = space.Satp;
        hart.Pc = image.Entry;
        hart[2] = sp;
        hart[10] = (ulong)argv.Count;
        hart[11] = argvAddress;

        var clock = Stopwatch.StartNew();
        EmulationResult result = RunToExit(hart);
        _stdout.Flush();
        _stderr.Flush();
        return result with { Wall = clock.Elapsed, Jit = hart.JitStatistics, JitCounters = hart.JitCounters };
    }

    private static void Load(AddressSpaceBuilder space, ElfImage image, byte[] elf)
    {
        foreach (ElfSegment s in image.Segments)
        {
            if (s.VirtualAddress + s.MemorySize > AddressSpaceBuilder.MaxVirtualAddress)
                throw new FormatException($"segment at 0x{s.VirtualAddress:x} lies above the Sv39 user address space");
            ulong flags = (s.Readable ? Pte.R : 0) | (s.Writable ? Pte.W | Pte.R : 0) | (s.Executable ? Pte.X : 0);
            space.MapRange(s.VirtualAddress, s.MemorySize, flags);
            space.Write(s.VirtualAddress, elf.AsSpan((int)s.FileOffset, (int)s.FileSize), flags);
        }
    }

    /// <summary>
    /// Lays out the initial stack as Linux does for a static program (argc, argv[], NULL, an
    /// empty envp, auxv with AT_PAGESZ), so binaries that read it, as under qemu-riscv64,
    /// work; argc and argv are also passed in a0 and a1, as xv6's exec does.
    /// </summary>
    private ulong BuildStack(AddressSpaceBuilder space, IReadOnlyList<string> argv, out ulong argvAddress)
    {
        ulong bottom = StackTop - _options.StackBytes;
        space.MapRange(bottom, _options.StackBytes, Pte.R | Pte.W);

        ulong sp = StackTop;
        var pointers = new ulong[argv.Count];
        for (int i = argv.Count - 1; i >= 0; i--)
        {
            byte[] text = Encoding.UTF8.GetBytes(argv[i] + "\0");
            sp -= (ulong)text.Length;
            if (sp < bottom + 4096)
                throw new ArgumentException("arguments do not fit on the stack");
            space.Write(sp, text, Pte.R | Pte.W);
            pointers[i] = sp;
        }

        var words = new List<ulong> { (ulong)argv.Count };
        words.AddRange(pointers);
        words.AddRange([0, 0, AuxPageSize, PhysicalMemory.PageSize, 0, 0]);
        sp = (sp - (ulong)words.Count * 8) & ~15UL;
        var table = new byte[words.Count * 8];
        for (int i = 0; i < words.Count; i++)
            BitConverter.TryWriteBytes(table.AsSpan(i * 8), words[i]);
        space.Write(sp, table, Pte.R | Pte.W);
        argvAddress = sp + 8;
        return sp;
    }

    private EmulationResult RunToExit(Hart hart)
    {
        var shim = new SystemCallShim(_options.Abi, hart, _stdout, _stderr, _diagnostics, _name);
        ulong limit = _options.MaxInstructions;
        while (true)
        {
            long budget = SliceInstructions;
            if (limit != 0)
            {
                if (hart.Instret >= limit)
                {
                    _diagnostics.WriteLine($"osprey emulate: {_name}: stopped after {limit} instructions at pc=0x{hart.Pc:x}");
                    return new EmulationResult(124, false, null, hart.Instret, default);
                }
                budget = (long)Math.Min((ulong)budget, limit - hart.Instret);
            }

            Trap trap = hart.Run(budget);
            switch (trap.Cause)
            {
                case TrapCause.BudgetExhausted:
                    continue;
                case TrapCause.Interrupt:
                    hart.ClearInterrupt((InterruptLine)trap.Value);
                    continue;
                case TrapCause.EnvironmentCallFromUser:
                    if (shim.Handle(out int status))
                        return new EmulationResult(status & 0xFF, true, null, hart.Instret, default);
                    hart.Pc = trap.Pc + 4;
                    continue;
                default:
                    _diagnostics.WriteLine($"osprey emulate: {_name}: {Describe(trap)}");
                    return new EmulationResult(128 + SignalFor(trap.Cause), false, trap, hart.Instret, default);
            }
        }
    }

    private static string Describe(Trap trap) => trap.Cause switch
    {
        TrapCause.IllegalInstruction => $"illegal instruction 0x{trap.Value:x} at pc=0x{trap.Pc:x}",
        TrapCause.Breakpoint => $"breakpoint at pc=0x{trap.Pc:x}",
        _ => $"{FaultName(trap.Cause)} at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}",
    };

    private static string FaultName(TrapCause cause) => cause switch
    {
        TrapCause.InstructionPageFault => "instruction page fault",
        TrapCause.LoadPageFault => "load page fault",
        TrapCause.StorePageFault => "store page fault",
        TrapCause.InstructionAccessFault => "instruction access fault",
        TrapCause.LoadAccessFault => "load access fault",
        TrapCause.StoreAccessFault => "store access fault",
        TrapCause.LoadAddressMisaligned => "misaligned load",
        TrapCause.StoreAddressMisaligned => "misaligned store or AMO",
        _ => cause.ToString(),
    };

    private static int SignalFor(TrapCause cause) => cause switch
    {
        TrapCause.IllegalInstruction => 4,
        TrapCause.Breakpoint => 5,
        TrapCause.LoadAddressMisaligned or TrapCause.StoreAddressMisaligned => 7,
        _ => 11,
    };
}
