namespace Osprey.Machine.Float;

internal static partial class SoftFloat
{
    /// <summary>feq: quiet, so only a signalling NaN raises NV; any NaN compares unequal; -0 == +0.</summary>
    public static bool Equal(in FloatFormat f, ulong a, ulong b, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
        {
            PropagateNaN(f, a, b, ref flags);
            return false;
        }
        return OrderKey(f, a) == OrderKey(f, b);
    }

    /// <summary>flt: signalling, so any NaN raises NV (and the result is false).</summary>
    public static bool Less(in FloatFormat f, ulong a, ulong b, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
        {
            flags |= FloatFlags.Invalid;
            return false;
        }
        return OrderKey(f, a) < OrderKey(f, b);
    }

    /// <summary>fle: signalling, as <see cref="Less"/>.</summary>
    public static bool LessOrEqual(in FloatFormat f, ulong a, ulong b, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
        {
            flags |= FloatFlags.Invalid;
            return false;
        }
        return OrderKey(f, a) <= OrderKey(f, b);
    }

    /// <summary>
    /// fmin and fmax: IEEE 754-2019 minimumNumber and maximumNumber. A NaN operand is ignored
    /// in favour of the number (both NaN gives the canonical NaN), a signalling NaN raises NV,
    /// and -0 counts as less than +0.
    /// </summary>
    public static ulong MinMax(in FloatFormat f, ulong a, ulong b, bool max, ref uint flags)
    {
        bool nanA = f.IsNaN(a), nanB = f.IsNaN(b);
        if (nanA || nanB)
        {
            ulong nan = PropagateNaN(f, a, b, ref flags);
            return nanA && nanB ? nan : nanA ? b : a;
        }
        bool aFirst = SignedZeroKey(f, a) < SignedZeroKey(f, b);
        return aFirst != max ? a : b;
    }

    /// <summary>fclass: a one-hot mask of the operand's class.</summary>
    public static ulong Classify(in FloatFormat f, ulong a)
    {
        bool negative = f.IsNegative(a);
        int bit;
        if (f.IsNaN(a))
            bit = f.IsSignalingNaN(a) ? 8 : 9;
        else if (f.IsInfinity(a))
            bit = negative ? 0 : 7;
        else if (f.IsZero(a))
            bit = negative ? 3 : 4;
        else if (f.IsSubnormal(a))
            bit = negative ? 2 : 5;
        else
            bit = negative ? 1 : 6;
        return 1UL << bit;
    }

    /// <summary>A key in which numbers order as their values, with -0 and +0 equal (NaNs excluded).</summary>
    private static long OrderKey(in FloatFormat f, ulong bits)
    {
        var magnitude = (long)(bits & ~f.SignBit);
        return f.IsNegative(bits) ? -magnitude : magnitude;
    }

    /// <summary>As <see cref="OrderKey"/> but with -0 below +0.</summary>
    private static long SignedZeroKey(in FloatFormat f, ulong bits)
    {
        var magnitude = (long)(bits & ~f.SignBit);
        return f.IsNegative(bits) ? ~magnitude : magnitude;
    }
}
