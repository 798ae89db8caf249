namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// A generated test program: initial register values, the scratch buffer's initial bytes and
/// the instruction items. Everything follows from <see cref="Seed"/> and the length, so a
/// failure report's seed regenerates it exactly.
/// </summary>
/// <param name="Seed">The generator seed this stream came from.</param>
/// <param name="Index">The stream's position in its test run, for messages.</param>
/// <param name="Registers">Initial x0..x31; entries for x0, sp and s0 are unused (the prologue sets those).</param>
/// <param name="FloatRegisters">Initial f0..f31, or null for a stream that leaves them as they are.</param>
/// <param name="Fcsr">Initial fcsr, set with the f registers.</param>
internal sealed record RandomStream(ulong Seed, int Index, ulong[] Registers, byte[] Scratch, IReadOnlyList<StreamItem> Items,
    ulong[]? FloatRegisters = null, uint Fcsr = 0)
{
    public string Name => $"stream #{Index} (seed 0x{Seed:x16}, {Items.Count} items)";
}
