using Osprey.Machine.Jit;
using Osprey.Machine.Memory;

namespace Osprey.Kernel;

/// <summary>How to build and boot a kernel.</summary>
public sealed record KernelOptions
{
    public int Cpus { get; init; } = 3;

    /// <summary>The size of the process table (xv6's NPROC).</summary>
    public int MaxProcesses { get; init; } = 64;

    /// <summary>
    /// The most user threads of all processes together (each is a kernel thread with a host
    /// thread of its own); thread_fork and fork fail beyond it.
    /// </summary>
    public int MaxThreads { get; init; } = DefaultMaxThreads;

    public const int DefaultMaxThreads = 1024;

    public ulong MemoryBytes { get; init; } = PhysicalMemory.DefaultSize;

    /// <summary>
    /// The program pid 1 runs when the kernel boots to init (<see cref="OspreyKernel.BootInit"/>):
    /// a name in the disk's root directory, "init" (xv6's) unless <c>osprey boot --init NAME</c>
    /// names another (pebbles_init, the Pebbles init).
    /// </summary>
    public string InitProgram { get; init; } = DefaultInitProgram;

    public const string DefaultInitProgram = "init";

    /// <summary>The disk image; null for a machine with no disk.</summary>
    public string? DiskImage { get; init; }

    /// <summary>
    /// Fault injection: the disk stops after this many block writes (counted from power-on, log
    /// recovery included) and the machine halts as at a power cut; null for a disk that never
    /// stops. See OspreyKernel.Crash.cs.
    /// </summary>
    public long? CrashAfterWrites { get; init; }

    /// <summary>fork copies every page at once, as xv6 does, instead of sharing them copy-on-write (--no-cow).</summary>
    public bool NoCow { get; init; }

    /// <summary>sbrk only moves the break; heap pages appear on first touch (--lazy-sbrk, the MIT lazy lab).</summary>
    public bool LazySbrk { get; init; }

    /// <summary>One spinlock for all of the key-value store's buckets instead of one each (--kkv-global-lock, for teaching).</summary>
    public bool KkvGlobalLock { get; init; }

    /// <summary>Print the key-value store's figures (pairs, waiters, bucket lengths, its locks) when the machine halts (--kkvstats).</summary>
    public bool KkvStatsAtHalt { get; init; }

    /// <summary>
    /// Teaching and tests only (--kkv-planted-bug, osprey explore's planted kkv bug): destroy
    /// frees a placeholder that blocked getters still sleep on, without waking them.
    /// </summary>
    public bool KkvPlantedBug { get; init; }

    /// <summary>How the harts run user code (<c>--jit off|on|forced</c>); by default what OSPREY_JIT says, else on.</summary>
    public JitOptions Jit { get; init; } = JitOptions.Default;

    /// <summary>
    /// A deterministic run (see Sched/Interleaver.cs): the CPUs take turns chosen by
    /// <see cref="Seed"/> (1 if none is given), time is virtual, console input arrives at
    /// virtual instants. Also implied by any of the options below.
    /// </summary>
    public bool Deterministic { get; init; }

    /// <summary>The seed of a deterministic run (--seed N).</summary>
    public ulong? Seed { get; init; }

    /// <summary>The choices of a deterministic run, instead of those <see cref="Seed"/> makes (osprey explore, replay).</summary>
    public Sched.IInterleaving? Interleaving { get; init; }

    /// <summary>A deterministic run stops after this many user instructions (explore's timeout).</summary>
    public long InstructionLimit { get; init; } = long.MaxValue;

    /// <summary>Where a deterministic run writes its console input with the turns it arrived in (--record).</summary>
    public TextWriter? RecordInput { get; init; }

    /// <summary>Recorded input to give instead of <see cref="ConsoleInput"/> (--replay).</summary>
    public Dev.InputRecording? ReplayInput { get; init; }

    public bool IsDeterministic => Deterministic || Seed != null || Interleaving != null || ReplayInput != null;

    /// <summary>The seed a deterministic run uses.</summary>
    public ulong EffectiveSeed => Seed ?? ReplayInput?.Seed ?? 1;
    /// <summary>The frame allocator's policy: freelist (the default), percpu, segtree or bitmap (Mem/).</summary>
    public string Allocator { get; init; } = "freelist";

    /// <summary>Check the lock order on every acquisition and panic at an inversion (Sync/Lockdep.cs).</summary>
    public bool Lockdep { get; init; }

    /// <summary>Print the lock_stat table on the diagnostics writer when the machine halts.</summary>
    public bool LockStatAtHalt { get; init; }

    /// <summary>Print the frame allocator's and the slab caches' counters on the diagnostics writer when the machine halts.</summary>
    public bool AllocStatsAtHalt { get; init; }

    public Stream ConsoleOutput { get; init; } = Stream.Null;

    /// <summary>Where console input comes from; null for none (reads see end of file).</summary>
    public Stream? ConsoleInput { get; init; }

    /// <summary>Echo console input (a terminal in raw mode).</summary>
    public bool ConsoleEcho { get; init; }

    /// <summary>The console's input is a person at a terminal (isatty(0) is then 1).</summary>
    public bool ConsoleIsTerminal { get; init; }

    /// <summary>Where kernel panics and diagnostics go.</summary>
    public TextWriter Diagnostics { get; init; } = TextWriter.Null;

    /// <summary>--strace: the pids whose system calls go to <see cref="Diagnostics"/> (empty: every task's); null for none.</summary>
    public IReadOnlyList<int>? Strace { get; init; }

    /// <summary>--gdb: the kernel takes a debugger (stops, steps, breakpoints) for the gdb server to drive.</summary>
    public bool Debug { get; init; }

    /// <summary>--gdb-wait: no user instruction runs until the debugger resumes the machine.</summary>
    public bool DebugWait { get; init; }

    /// <summary>--trace: where the Chrome trace-event JSON of the run goes (written until the kernel is disposed); null for none.</summary>
    public Stream? TraceOutput { get; init; }
}
