using Osprey.Kernel.Sched;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Proc;

/// <summary>
/// A process: an address space, open files, a working directory, and (for now) one thread.
///
/// The process table's lock protects <see cref="State"/>, <see cref="Parent"/> and
/// <see cref="ExitStatus"/>. <see cref="Killed"/> is a flag any thread may set and the
/// process's own thread reads at safe points. Everything else (page table, size, files,
/// working directory, trap frame) belongs to the process's own thread, or to its parent
/// once it is a zombie.
/// </summary>
public sealed class Process
{
    private volatile bool _killed;

    internal Process(int pid)
    {
        Pid = pid;
    }

    public int Pid { get; }

    public string Name { get; set; } = "";

    public ProcessState State { get; internal set; } = ProcessState.Alive;

    public Process? Parent { get; internal set; }

    public int ExitStatus { get; internal set; }

    public bool Killed => _killed;

    /// <summary>Set by exit once the process has given up everything it owns; its thread then ends.</summary>
    internal bool Exited { get; set; }

    /// <summary>Null for a kernel-only process (the reaper in <c>osprey run</c>).</summary>
    public PageTable? PageTable { get; internal set; }

    /// <summary>Bytes of user memory from address 0 (xv6's p->sz).</summary>
    public ulong Size { get; internal set; }

    public TrapFrame TrapFrame { get; } = new();

    /// <summary>This process's page faults by how they ended (vmstat's per-process figures).</summary>
    public FaultCounts VmFaults { get; } = new();

    public KThread? Thread { get; internal set; }

    /// <summary>Open files by descriptor (xv6's ofile): NOFILE slots.</summary>
    public Files.OpenFile?[] Files { get; } = new Files.OpenFile?[Syscalls.AbiConstants.NOFILE];

    /// <summary>The working directory; null for a kernel-only process or a machine without a disk.</summary>
    public Fs.Inode? Cwd { get; internal set; }

    internal void MarkKilled() => _killed = true;

    public override string ToString() => $"pid {Pid} ({Name}, {State})";
}
