namespace Osprey.Kernel.Sync;

/// <summary>
/// Padding between objects that different CPUs write. Objects made one after another (each
/// CPU's lock, magazine, bucket) lie next to each other on the host heap, so without a gap
/// the end of one CPU's object and the start of the next CPU's share a cache line, and every
/// write on one CPU takes that line away from the other (false sharing). Made right after the
/// object it follows, and kept as long as that object (a field of it, never read: holding the
/// reference is the point), a gap pushes whatever comes next at least a cache line further, as
/// Linux aligns its per-CPU data to cache lines.
/// </summary>
public readonly struct CacheLineGap
{
    /// <summary>A host cache line, as the machine pads its per-hart blocks to.</summary>
    public const int Bytes = Machine.Memory.CacheLineBlock.LineBytes;

    private readonly byte[] _filler;

    private CacheLineGap(byte[] filler) => _filler = filler;

    /// <summary>Allocates the gap now: call it after the object it is to follow.</summary>
    public static CacheLineGap Make() => new(new byte[Bytes]);
}
