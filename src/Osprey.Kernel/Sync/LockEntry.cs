namespace Osprey.Kernel.Sync;

/// <summary>
/// What the registry knows of one lock, whatever its kind: its name, its class, its number among
/// the class's instances and its figures. A lock gets its entry the first time it is taken (see
/// <see cref="LockRegistry.Register"/>); a lock that goes away with its object (a pipe's) retires
/// it, and its figures stay in its class's sum.
/// </summary>
public sealed class LockEntry
{
    internal LockEntry(string name, LockClass lockClass, int instance, LockStats stats, LockKind kind)
    {
        Name = name;
        Class = lockClass;
        Instance = instance;
        Stats = stats;
        Kind = kind;
    }

    public string Name { get; }

    public LockClass Class { get; }

    /// <summary>This lock's number within its class, in the order the class's locks were first taken.</summary>
    public int Instance { get; }

    public LockStats Stats { get; }

    public LockKind Kind { get; }

    /// <summary>Set once the lock is gone; its figures are then in <see cref="LockClass.Retired"/>.</summary>
    internal bool IsRetired { get; set; }

    public override string ToString() => Class.Name == Name ? $"{Name}#{Instance}" : Name;
}
