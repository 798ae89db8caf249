namespace Osprey.Kernel.Sched;

/// <summary>
/// Where a deterministic run may move the simulated machine from one CPU to another (or one
/// thread to another) besides the end of an instruction quantum: the kinds of
/// <see cref="PointKind"/> an <see cref="IInterleaving"/> is asked about.
/// </summary>
[Flags]
public enum PreemptionPoints
{
    None = 0,

    /// <summary>System-call entry and return, and yields.</summary>
    SystemCalls = 1,

    /// <summary>Kernel spinlock and mutex acquire and release.</summary>
    Locks = 2,

    /// <summary>User atomic memory operations and load-reserved (the start of an LR/SC sequence).</summary>
    Atomics = 4,

    All = SystemCalls | Locks | Atomics,
}
