namespace Osprey.Kernel.Vm;

/// <summary>Page faults by how they ended: one set per process and one for the whole machine. Atomic, unlocked.</summary>
public sealed class FaultCounts
{
    private static readonly int Kinds = Enum.GetValues<FaultKind>().Length;

    private readonly long[] _counts = new long[Kinds];

    public long this[FaultKind kind] => Volatile.Read(ref _counts[(int)kind]);

    internal void Add(FaultKind kind) => Interlocked.Increment(ref _counts[(int)kind]);
}
