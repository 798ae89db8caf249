namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// A tiny seeded generator whose output is fixed by its algorithm alone, so a stream printed
/// as "seed S" is the same stream on every machine and every .NET version (System.Random
/// promises no such thing for seeded instances).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n).</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);

    /// <summary>Uniform in [min, max], both included.</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>One of <paramref name="items"/>, each with probability weight / <paramref name="totalWeight"/> (the weights' sum).</summary>
    public T PickWeighted<T>(IReadOnlyList<(T Item, int Weight)> items, int totalWeight)
    {
        int roll = Below(totalWeight);
        foreach ((T item, int weight) in items)
        {
            if (roll < weight)
                return item;
            roll -= weight;
        }
        return items[^1].Item;
    }
}
