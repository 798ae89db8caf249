namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// What the tree should be after some operations of each list: the starting tree with the
/// first done[i] operations of list i applied. The lists work on separate names, so the order
/// in which their operations interleaved does not matter.
/// </summary>
internal sealed class CrashModels(FsTree start, CrashOp[][] lists)
{
    private readonly Dictionary<string, FsTree> _trees = new() { [Key(new int[lists.Length])] = start };

    public int[] Lengths => lists.Select(l => l.Length).ToArray();

    public bool IsComplete(int[] done) => done.SequenceEqual(Lengths);

    public FsTree After(int[] done)
    {
        string key = Key(done);
        if (_trees.TryGetValue(key, out FsTree? tree))
            return tree;
        int last = Array.FindLastIndex(done, k => k > 0);
        int[] before = (int[])done.Clone();
        before[last]--;
        tree = After(before).After(lists[last][before[last]]);
        _trees[key] = tree;
        return tree;
    }

    /// <summary>
    /// The trees a crash may leave when list i has reported done[i] operations: each list as
    /// after done[i], or after done[i]+1 (committed, not yet reported).
    /// </summary>
    public IReadOnlyList<FsTree> Candidates(int[] done)
    {
        var candidates = new List<FsTree>();
        for (int mask = 0; mask < 1 << lists.Length; mask++)
        {
            int[] counts = done.Select((k, i) => k + ((mask >> i) & 1)).ToArray();
            if (counts.Select((k, i) => k <= lists[i].Length).All(ok => ok))
                candidates.Add(After(counts));
        }
        return candidates;
    }

    private static string Key(int[] done) => string.Join(",", done);
}
