namespace Osprey.Kernel.Sched;

/// <summary>What a CPU is doing at a preemption point of a deterministic run.</summary>
public enum PointKind
{
    SystemCallEntry,
    SystemCallReturn,
    Yield,
    LockAcquire,
    LockRelease,
    Atomic,
}
