namespace Osprey.Kernel.Sync;

/// <summary>
/// A kind of lock: every lock that plays the same role is one class (all thirteen
/// <c>bcache.bucket</c> locks, every buffer's sleep lock, every pipe's lock), as Linux's lockdep
/// groups lock instances by the place they were made. The class is what lockdep orders and what
/// <c>lockstat</c> sums; its instances are the locks themselves.
///
/// The registry's gate protects <see cref="Instances"/>, <see cref="Retired"/> and
/// <see cref="Numbered"/>; <see cref="_nodes"/> is written under the lockdep graph's gate.
/// </summary>
public sealed class LockClass
{
    private readonly int[] _nodes = Enumerable.Repeat(-1, LockRegistry.MaxSubclasses).ToArray();

    internal LockClass(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>The live locks of this class, in the order they were first taken.</summary>
    internal List<LockEntry> Instances { get; } = new();

    /// <summary>The summed figures of instances that are gone (a closed pipe's lock).</summary>
    internal LockStats Retired { get; } = new();

    /// <summary>Instances ever registered: the next one's number.</summary>
    internal int Numbered { get; set; }

    /// <summary>
    /// The lockdep graph node of this class taken at nesting level <paramref name="subclass"/>
    /// (0 normally; 1 for a second lock of the class taken inside the first, and so on).
    /// </summary>
    internal int Node(int subclass, Lockdep graph)
    {
        if ((uint)subclass >= LockRegistry.MaxSubclasses)
            throw Panic.Now($"lockdep: nesting level {subclass} of {Name} is past the most ({LockRegistry.MaxSubclasses - 1})");
        int node = Volatile.Read(ref _nodes[subclass]);
        return node >= 0 ? node : graph.NodeFor(this, subclass, _nodes);
    }

    public override string ToString() => $"lock class {Name}";
}
