namespace Osprey.Kernel.Sync;

/// <summary>Whether a lock's takers spin (and hold it on a CPU) or sleep (and hold it as a thread).</summary>
public enum LockKind
{
    Spin,
    Sleep,
}
