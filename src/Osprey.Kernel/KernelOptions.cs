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

    /// <summary>Ticks from retired instructions instead of host time.</summary>
    public bool Deterministic { get; init; }

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
}
