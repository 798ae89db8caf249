namespace Osprey.Emulation;

/// <summary>How <see cref="Emulator"/> runs a program.</summary>
public sealed record EmulatorOptions
{
    public Abi Abi { get; init; } = Abi.Xv6;

    public ulong MemoryBytes { get; init; } = Osprey.Machine.Memory.PhysicalMemory.DefaultSize;

    public ulong StackBytes { get; init; } = 1UL << 20;

    /// <summary>Stop the program after this many instructions (0: no limit).</summary>
    public ulong MaxInstructions { get; init; }

    /// <summary>How the hart runs the program: interpreter only, with the JIT tier, or with every block translated.</summary>
    public Osprey.Machine.Jit.JitOptions Jit { get; init; } = Osprey.Machine.Jit.JitOptions.Default;
}
