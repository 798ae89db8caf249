namespace Osprey.Bench.Guest;

/// <summary>What the JIT did in one run: blocks translated, total compile time (on its background thread) and the mean per block.</summary>
internal sealed record JitFigures(long Blocks, double CompileMilliseconds, double PerBlockMicroseconds);
