namespace Osprey.Machine.Tests.Differential;

/// <summary>Binary search for the shortest diverging prefix of a stream.</summary>
internal static class Bisector
{
    /// <summary>
    /// Given that the whole stream (prefix <paramref name="length"/>) diverges, returns a
    /// prefix length k that diverges while k - 1 does not, so item k - 1 is where the two
    /// machines part; 0 means even the empty stream (prologue and epilogue) diverges.
    /// Divergence need not be monotonic (a later instruction can overwrite a wrong value),
    /// but the search keeps "lo agrees, hi diverges" throughout, so the pair it ends on is
    /// always a genuine point of divergence, found in about log2(length) probes.
    /// </summary>
    public static int FirstDivergingPrefix(int length, Func<int, bool> diverges)
    {
        if (diverges(0))
            return 0;
        int agrees = 0, differs = length;
        while (differs - agrees > 1)
        {
            int middle = agrees + (differs - agrees) / 2;
            if (diverges(middle))
                differs = middle;
            else
                agrees = middle;
        }
        return differs;
    }
}
