using System.Runtime.CompilerServices;

namespace Osprey.Machine.Float;

/// <summary>
/// What the hart calls for F and D arithmetic: exact IEEE results in every rounding mode,
/// computed on the host's double arithmetic where that can be proved to give them, and by
/// <see cref="SoftFloat"/> everywhere else.
///
/// The host rounds to nearest-even and reports no flags. Its result r is made exact by an
/// error-free transformation that gives the sign of (exact - r): TwoSum for a sum, an FMA for
/// a product's error, the sign of the remainder a - q*b (or a - s*s) for a quotient (or a
/// square root), and an expansion of TwoSums for a fused multiply-add, all exact when nothing
/// is near the subnormal range. That sign says whether
/// the result is inexact and which neighbour of r each directed mode picks. The fast path is
/// taken only when r's exponent leaves both neighbours normal and finite, so no underflow or
/// overflow can be missed; RMM (ties away), which needs more than a sign, always goes to the
/// soft-float, as do zeros, subnormals, infinities and NaNs.
///
/// Singles are computed in double, where products are exact and quotients, roots and sums
/// come with the same error signs, and rounded to single with the sign of the error, which
/// also settles the case of a double result exactly halfway between two singles.
///
/// NX is sticky, so in round-to-nearest the error's sign only matters until NX has accrued.
/// The caller seeds <c>flags</c> with the NX already in fflags; when it is set, the
/// nearest-even operations skip the error-free transformation (except where the result
/// itself depends on the error: a single FMA's double-rounding tie).
/// </summary>
internal static class FloatUnit
{
    private static readonly FloatFormat D = FloatFormat.Double;
    private static readonly FloatFormat S = FloatFormat.Single;

    /// <summary>Results with a biased exponent in [lowest, 2045] are safe: their neighbours are normal and finite.</summary>
    private const int SafeTop = 2045;

    /// <summary>
    /// The lowest biased exponent at which a product's error, a quotient's or a root's remainder
    /// is exactly representable (the exact product of two significands has at most 106 bits, so
    /// its lowest one must stay above 2^-1074); chosen with a wide margin.
    /// </summary>
    private const int ExactRemainderBottom = 128;

    // ---- double -----------------------------------------------------------------------

    public static ulong AddD(ulong a, ulong b, bool subtract, RoundingMode rm, ref uint flags)
    {
        double x = Double(a), y = subtract ? -Double(b) : Double(b);
        TwoSum(x, y, out double s, out double e);
        if (rm != RoundingMode.NearestMaxMagnitude && Safe(s, 2))
            return Finish(s, Sign(e), rm, ref flags);
        return SoftFloat.Add(D, a, b, subtract, rm, ref flags);
    }

    public static ulong MultiplyD(ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        double x = Double(a), y = Double(b);
        double p = x * y;
        if (rm != RoundingMode.NearestMaxMagnitude && Safe(p, ExactRemainderBottom))
            return InexactKnown(rm, flags) ? Bits(p) : Finish(p, Sign(Math.FusedMultiplyAdd(x, y, -p)), rm, ref flags);
        return SoftFloat.Multiply(D, a, b, rm, ref flags);
    }

    public static ulong DivideD(ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        double x = Double(a), y = Double(b);
        double q = x / y;
        if (rm != RoundingMode.NearestMaxMagnitude && Safe(q, ExactRemainderBottom) && Biased(a, 52) >= ExactRemainderBottom)
        {
            if (InexactKnown(rm, flags))
                return Bits(q);
            // x - q*y is exact; x/y - q has its sign times y's.
            double remainder = Math.FusedMultiplyAdd(-q, y, x);
            return Finish(q, Sign(remainder) * Sign(y), rm, ref flags);
        }
        return SoftFloat.Divide(D, a, b, rm, ref flags);
    }

    public static ulong SquareRootD(ulong a, RoundingMode rm, ref uint flags)
    {
        int biased = Biased(a, 52);
        if (rm != RoundingMode.NearestMaxMagnitude && (long)a > 0 && biased >= ExactRemainderBottom && biased <= 2046)
        {
            double x = Double(a);
            double s = Math.Sqrt(x);
            return InexactKnown(rm, flags) ? Bits(s) : Finish(s, Sign(Math.FusedMultiplyAdd(-s, s, x)), rm, ref flags);
        }
        return SoftFloat.SquareRoot(D, a, rm, ref flags);
    }

    /// <summary>
    /// The fused multiply-adds. r = fma(x, y, z) on the host; the exact error x*y + z - r is
    /// p + pe + z - r, where p + pe is x*y exactly (TwoProduct, exact while the product is
    /// clear of the subnormals). Adding z and then -r to the two-term expansion with TwoSums
    /// (Shewchuk's Grow-Expansion) keeps it exact and nonoverlapping, so the sign of its
    /// largest nonzero term is the sign of the error.
    /// </summary>
    public static ulong MultiplyAddD(ulong a, ulong b, ulong c, bool negateProduct, bool negateAddend, RoundingMode rm, ref uint flags)
    {
        double x = negateProduct ? -Double(a) : Double(a), y = Double(b), z = negateAddend ? -Double(c) : Double(c);
        double r = Math.FusedMultiplyAdd(x, y, z);
        double p = x * y;
        if (rm != RoundingMode.NearestMaxMagnitude && Safe(r, 2) && Safe(p, ExactRemainderBottom) && Biased(c, 52) <= SafeTop)
        {
            if (InexactKnown(rm, flags))
                return Bits(r);
            double pe = Math.FusedMultiplyAdd(x, y, -p);
            TwoSum(z, pe, out double q, out double h1);
            TwoSum(q, p, out double h3, out double h2);
            TwoSum(-r, h1, out q, out double g1);
            TwoSum(q, h2, out q, out double g2);
            TwoSum(q, h3, out double g4, out double g3);
            int sign = g4 != 0 ? Sign(g4) : g3 != 0 ? Sign(g3) : g2 != 0 ? Sign(g2) : Sign(g1);
            return Finish(r, sign, rm, ref flags);
        }
        return SoftFloat.MultiplyAdd(D, a, b, c, negateProduct, negateAddend, rm, ref flags);
    }

    public static ulong ToIntegerD(ulong a, int width, bool isSigned, RoundingMode rm, ref uint flags) =>
        ToInteger(Double(a), width, isSigned, rm, ref flags, out ulong result) ? result : SoftFloat.ToInteger(D, a, width, isSigned, rm, ref flags);

    public static ulong FromIntegerD(ulong value, bool isSigned, RoundingMode rm, ref uint flags)
    {
        // Below 2^53 in magnitude every integer is a double: the conversion is exact.
        if (isSigned ? (long)value + (1L << 53) <= 1L << 54 && (long)value + (1L << 53) >= 0 : value <= 1UL << 53)
            return Bits(isSigned ? (long)value : (double)value);
        return SoftFloat.FromInteger(D, value, isSigned, rm, ref flags);
    }

    // ---- single -----------------------------------------------------------------------

    public static ulong AddS(ulong a, ulong b, bool subtract, RoundingMode rm, ref uint flags)
    {
        double x = Single(a), y = subtract ? -Single(b) : Single(b);
        TwoSum(x, y, out double s, out double e);
        return RoundToSingle(s, Sign(e), rm, ref flags, out ulong r) ? r : SoftFloat.Add(S, a, b, subtract, rm, ref flags);
    }

    public static ulong MultiplyS(ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        // 24 by 24 bits: the product is exact in double.
        double p = Single(a) * Single(b);
        return RoundToSingle(p, 0, rm, ref flags, out ulong r) ? r : SoftFloat.Multiply(S, a, b, rm, ref flags);
    }

    public static ulong DivideS(ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        // Singles are so far inside double's range that the remainder is always exact.
        double x = Single(a), y = Single(b);
        double q = x / y;
        int sign = Sign(Math.FusedMultiplyAdd(-q, y, x)) * Sign(y);
        return RoundToSingle(q, sign, rm, ref flags, out ulong r) ? r : SoftFloat.Divide(S, a, b, rm, ref flags);
    }

    public static ulong SquareRootS(ulong a, RoundingMode rm, ref uint flags)
    {
        double x = Single(a);
        double s = Math.Sqrt(x);
        int sign = Sign(Math.FusedMultiplyAdd(-s, s, x));
        return RoundToSingle(s, sign, rm, ref flags, out ulong r) ? r : SoftFloat.SquareRoot(S, a, rm, ref flags);
    }

    public static ulong MultiplyAddS(ulong a, ulong b, ulong c, bool negateProduct, bool negateAddend, RoundingMode rm, ref uint flags)
    {
        // The product is exact in double, so the fused result is a sum, and TwoSum gives its error.
        double p = Single(a) * Single(b), z = Single(c);
        if (negateProduct)
            p = -p;
        if (negateAddend)
            z = -z;
        TwoSum(p, z, out double s, out double e);
        return RoundToSingle(s, Sign(e), rm, ref flags, out ulong r)
            ? r
            : SoftFloat.MultiplyAdd(S, a, b, c, negateProduct, negateAddend, rm, ref flags);
    }

    public static ulong ToIntegerS(ulong a, int width, bool isSigned, RoundingMode rm, ref uint flags) =>
        ToInteger(Single(a), width, isSigned, rm, ref flags, out ulong result) ? result : SoftFloat.ToInteger(S, a, width, isSigned, rm, ref flags);

    public static ulong FromIntegerS(ulong value, bool isSigned, RoundingMode rm, ref uint flags)
    {
        if (isSigned ? (long)value + (1L << 24) <= 1L << 25 && (long)value + (1L << 24) >= 0 : value <= 1UL << 24)
            return BitConverter.SingleToUInt32Bits(isSigned ? (long)value : (float)value);
        return SoftFloat.FromInteger(S, value, isSigned, rm, ref flags);
    }

    /// <summary>fcvt.s.d: the double is the exact value; rounding it is all there is.</summary>
    public static ulong DoubleToSingle(ulong a, RoundingMode rm, ref uint flags) =>
        RoundToSingle(Double(a), 0, rm, ref flags, out ulong r) ? r : SoftFloat.Convert(D, S, a, rm, ref flags);

    /// <summary>fcvt.d.s: exact for every number; NaNs go to the soft-float, which makes them canonical.</summary>
    public static ulong SingleToDouble(ulong a, RoundingMode rm, ref uint flags) =>
        S.IsNaN(a) ? SoftFloat.Convert(S, D, a, rm, ref flags) : Bits(Single(a));

    // ---- the shared parts ---------------------------------------------------------------

    /// <summary>Round-to-nearest with NX already accrued: the host's result is the answer and the error's sign changes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InexactKnown(RoundingMode rm, uint flags) =>
        rm == RoundingMode.NearestEven && (flags & FloatFlags.Inexact) != 0;

    /// <summary>
    /// r rounded to nearest-even, and the sign of (exact - r): r itself if exact, else r or a
    /// neighbour as the mode says. r is safe (see <see cref="Safe"/>), so neighbours are normal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(double r, int errorSign, RoundingMode rm, ref uint flags)
    {
        ulong bits = Bits(r);
        if (errorSign == 0)
            return bits;
        flags |= FloatFlags.Inexact;
        bool negative = (long)bits < 0;
        // On the bit pattern, +1 moves away from zero and -1 toward it.
        return rm switch
        {
            RoundingMode.TowardZero => (errorSign < 0) != negative ? bits - 1 : bits,
            RoundingMode.Down => errorSign < 0 ? (negative ? bits + 1 : bits - 1) : bits,
            RoundingMode.Up => errorSign > 0 ? (negative ? bits - 1 : bits + 1) : bits,
            _ => bits,
        };
    }

    /// <summary>
    /// Rounds to single the value d + (a tiny error of sign <paramref name="errorSign"/>), in the
    /// mode, when the single is safely normal; false otherwise (and for RMM).
    /// </summary>
    private static bool RoundToSingle(double d, int errorSign, RoundingMode rm, ref uint flags, out ulong result)
    {
        var nearest = (float)d;
        uint bits = BitConverter.SingleToUInt32Bits(nearest);
        int biased = (int)((bits >> 23) & 0xFF);
        result = 0;
        if (rm == RoundingMode.NearestMaxMagnitude || biased < 2 || biased > 253)
            return false;
        // d - nearest is exact (the two are within a factor of two), and the error is below
        // d's last place, so it only decides when d is a single itself.
        double difference = d - nearest;
        int sign = difference > 0 ? 1 : difference < 0 ? -1 : errorSign;
        if (sign == 0)
        {
            result = bits;
            return true;
        }
        flags |= FloatFlags.Inexact;
        bool negative = (int)bits < 0;
        if (rm == RoundingMode.NearestEven)
        {
            // d exactly halfway between two singles is a tie only if the error is zero;
            // otherwise the error pushes the value to the far side.
            if (difference != 0 && errorSign == Math.Sign(difference))
            {
                uint toward = (difference > 0) != negative ? bits + 1 : bits - 1;
                if (Math.Abs(difference) * 2 == Math.Abs(BitConverter.UInt32BitsToSingle(toward) - (double)nearest))
                    bits = toward;
            }
        }
        else
        {
            bits = rm switch
            {
                RoundingMode.TowardZero => (sign < 0) != negative ? bits - 1 : bits,
                RoundingMode.Down => sign < 0 ? (negative ? bits + 1 : bits - 1) : bits,
                _ => sign > 0 ? (negative ? bits - 1 : bits + 1) : bits,
            };
        }
        result = bits;
        return true;
    }

    /// <summary>
    /// Rounds x to an integer of the width and signedness, exactly, for |x| below 2^52 (where
    /// the host's rounding functions are exact) and a result in range; false otherwise.
    /// </summary>
    private static bool ToInteger(double x, int width, bool isSigned, RoundingMode rm, ref uint flags, out ulong result)
    {
        result = 0;
        if (!(Math.Abs(x) < 4503599627370496.0))
            return false; // also NaN
        double r = rm switch
        {
            RoundingMode.NearestEven => Math.Round(x, MidpointRounding.ToEven),
            RoundingMode.TowardZero => Math.Truncate(x),
            RoundingMode.Down => Math.Floor(x),
            RoundingMode.Up => Math.Ceiling(x),
            _ => Math.Round(x, MidpointRounding.AwayFromZero),
        };
        var n = (long)r;
        bool inRange = (width, isSigned) switch
        {
            (32, true) => n >= int.MinValue && n <= int.MaxValue,
            (32, false) => n >= 0 && n <= uint.MaxValue,
            (_, true) => true,
            _ => n >= 0,
        };
        if (!inRange)
            return false;
        if (r != x)
            flags |= FloatFlags.Inexact;
        result = width == 32 ? (ulong)(long)(int)n : (ulong)n;
        return true;
    }

    /// <summary>Knuth's TwoSum: sum + error = a + b exactly, for any finite a and b whose sum does not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoSum(double a, double b, out double sum, out double error)
    {
        sum = a + b;
        double bb = sum - a;
        error = (a - (sum - bb)) + (b - bb);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Safe(double r, int lowest)
    {
        int biased = Biased(Bits(r), 52);
        return biased >= lowest && biased <= SafeTop;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Biased(ulong bits, int fractionBits) => (int)((bits >> fractionBits) & 0x7FF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sign(double v) => v > 0 ? 1 : v < 0 ? -1 : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Double(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Single(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(double v) => BitConverter.DoubleToUInt64Bits(v);
}
