namespace Osprey.Kernel.Sched;

/// <summary>
/// The pseudo-random numbers of a deterministic run: SplitMix64 (Steele, Lea and Flood's
/// generator, as Java's SplittableRandom uses), which is defined bit for bit, so a seed gives
/// the same sequence on every host and every .NET version (System.Random promises neither).
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Seed { get; } = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>); bound must be positive.</summary>
    public int Below(int bound) => (int)((Next() >> 33) % (ulong)bound);

    /// <summary>True with probability 1 / <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Below(n) == 0;
}
