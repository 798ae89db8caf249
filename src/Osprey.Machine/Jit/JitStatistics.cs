namespace Osprey.Machine.Jit;

/// <summary>What a code cache has done: blocks translated, their size, the time spent compiling them, and translations dropped because their code changed.</summary>
public readonly record struct JitStatistics(long Blocks, long GuestInstructions, long IlBytes, TimeSpan CompileTime, long Invalidated)
{
    /// <summary>Mean compile time per block (IL emission and the .NET JIT together).</summary>
    public TimeSpan PerBlock => Blocks == 0 ? TimeSpan.Zero : CompileTime / Blocks;
}
