namespace Osprey.Machine.Cpu;

/// <summary>
/// The M extension's division and high-multiply results, including the cases the
/// specification defines instead of trapping: division by zero gives all ones (quotient) or
/// the dividend (remainder); the most negative number divided by -1 gives itself and
/// remainder 0. .NET would throw on both, so each case is explicit here.
/// </summary>
internal static class Arithmetic
{
    public static ulong MulHighSignedUnsigned(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out _);
        // a was read as unsigned; if it is negative as signed, the true product is b*2^64 smaller.
        return (long)a < 0 ? high - b : high;
    }

    public static ulong Div(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        if (y == 0) return ulong.MaxValue;
        if (x == long.MinValue && y == -1) return a;
        return (ulong)(x / y);
    }

    public static ulong Divu(ulong a, ulong b) => b == 0 ? ulong.MaxValue : a / b;

    public static ulong Rem(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        if (y == 0) return a;
        if (x == long.MinValue && y == -1) return 0;
        return (ulong)(x % y);
    }

    public static ulong Remu(ulong a, ulong b) => b == 0 ? a : a % b;

    public static ulong Divw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        if (y == 0) return ulong.MaxValue;
        if (x == int.MinValue && y == -1) return (ulong)(long)x;
        return (ulong)(long)(x / y);
    }

    public static ulong Divuw(ulong a, ulong b)
    {
        uint x = (uint)a, y = (uint)b;
        return y == 0 ? ulong.MaxValue : (ulong)(long)(int)(x / y);
    }

    public static ulong Remw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        if (y == 0) return (ulong)(long)x;
        if (x == int.MinValue && y == -1) return 0;
        return (ulong)(long)(x % y);
    }

    public static ulong Remuw(ulong a, ulong b)
    {
        uint x = (uint)a, y = (uint)b;
        return (ulong)(long)(int)(y == 0 ? x : x % y);
    }
}
