using Osprey.Machine.Cpu;

namespace Osprey.Emulation;

/// <summary>
/// How an emulated program ended. <see cref="ExitCode"/> is what the process exits with: the
/// program's status (low 8 bits) if it called exit, otherwise 128 + the signal a Unix would
/// have sent (SIGILL 4, SIGTRAP 5, SIGSEGV 11) or 124 when it ran out of instructions.
/// </summary>
public sealed record EmulationResult(int ExitCode, bool Exited, Trap? Fault, ulong Instructions, TimeSpan Wall)
{
    /// <summary>What the JIT tier did, when it was on.</summary>
    public Osprey.Machine.Jit.JitStatistics? Jit { get; init; }

    /// <summary>What the hart's JIT dispatcher did, when the JIT was on.</summary>
    public Osprey.Machine.Jit.JitCounters? JitCounters { get; init; }

    public double Mips => Wall.TotalSeconds > 0 ? Instructions / Wall.TotalSeconds / 1e6 : 0;
}
