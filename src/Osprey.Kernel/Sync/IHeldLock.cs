using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A sleeping lock that knows which thread holds it, so that the scheduler can follow a
/// blocked thread to the thread it waits for (Pebbles' yield to a lock holder) and, later,
/// lock statistics and lockdep can name owners.
/// </summary>
public interface IHeldLock
{
    string Name { get; }

    /// <summary>The thread holding the lock (exclusively), or null.</summary>
    KThread? Holder { get; }
}
