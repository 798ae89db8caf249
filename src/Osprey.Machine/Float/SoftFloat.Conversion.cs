namespace Osprey.Machine.Float;

internal static partial class SoftFloat
{
    /// <summary>Converts between formats (fcvt.s.d rounds; fcvt.d.s is exact). NaNs become the canonical NaN of the target.</summary>
    public static ulong Convert(in FloatFormat from, in FloatFormat to, ulong a, RoundingMode rm, ref uint flags)
    {
        if (from.IsNaN(a))
        {
            if (from.IsSignalingNaN(a))
                flags |= FloatFlags.Invalid;
            return to.CanonicalNaN;
        }
        ulong signBit = from.IsNegative(a) ? to.SignBit : 0;
        if (from.IsInfinity(a))
            return signBit | to.Infinity;
        if (from.IsZero(a))
            return signBit;
        Unpack(from, a, out bool sign, out int exponent, out ulong significand);
        return RoundPack(to, sign, exponent, significand, rm, ref flags);
    }

    /// <summary>Converts a signed (<paramref name="isSigned"/>) or unsigned 64-bit integer to the format (fcvt.s.l, fcvt.d.wu, ...).</summary>
    public static ulong FromInteger(in FloatFormat f, ulong value, bool isSigned, RoundingMode rm, ref uint flags)
    {
        bool negative = isSigned && (long)value < 0;
        ulong magnitude = negative ? 0 - value : value;
        if (magnitude == 0)
            return 0;
        // value = magnitude * 2^0 = significand * 2^(exponent - 62).
        if (magnitude >> 63 != 0)
            return RoundPack(f, negative, 63, ShiftRightJam(magnitude, 1), rm, ref flags);
        return RoundPack(f, negative, LeadBit, magnitude, rm, ref flags);
    }

    /// <summary>
    /// Converts to a <paramref name="width"/>-bit (32 or 64) signed or unsigned integer, rounded
    /// by <paramref name="rm"/> (fcvt.w.s, fcvt.lu.d, ...), and returns it as the 64-bit register
    /// value (32-bit results sign-extended, as RV64 writes them). A NaN, an infinity or a
    /// rounded value out of range raises NV alone (not NX) and gives the nearest
    /// representable value; a NaN counts as positive.
    /// </summary>
    public static ulong ToInteger(in FloatFormat f, ulong a, int width, bool isSigned, RoundingMode rm, ref uint flags)
    {
        ulong max = isSigned ? (1UL << (width - 1)) - 1 : width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong minMagnitude = isSigned ? 1UL << (width - 1) : 0;
        if (f.IsNaN(a))
            return Saturate(false, max, minMagnitude, width, ref flags);
        bool sign = f.IsNegative(a);
        if (f.IsInfinity(a))
            return Saturate(sign, max, minMagnitude, width, ref flags);
        if (f.IsZero(a))
            return 0;

        Unpack(f, a, out _, out int exponent, out ulong significand);
        if (exponent >= 64)
            return Saturate(sign, max, minMagnitude, width, ref flags);
        // A 64.64 fixed-point copy of the magnitude: the integer part above, the fraction
        // below (with anything shifted out jammed into its lowest bit).
        var fixedPoint = (UInt128)significand << 64;
        int shift = LeadBit - exponent;
        fixedPoint = shift < 0 ? fixedPoint << -shift : ShiftRightJam(fixedPoint, shift);
        var integer = (ulong)(fixedPoint >> 64);
        var fraction = (ulong)fixedPoint;
        const ulong Half = 1UL << 63;
        bool roundUp = rm switch
        {
            RoundingMode.NearestEven => fraction > Half || (fraction == Half && (integer & 1) != 0),
            RoundingMode.NearestMaxMagnitude => fraction >= Half,
            RoundingMode.TowardZero => false,
            RoundingMode.Down => sign && fraction != 0,
            _ => !sign && fraction != 0,
        };
        // No carry out: an exponent of 63 leaves no fraction, and below that integer < 2^63.
        if (roundUp)
            integer++;
        if (sign ? integer > minMagnitude : integer > max)
            return Saturate(sign, max, minMagnitude, width, ref flags);
        if (fraction != 0)
            flags |= FloatFlags.Inexact;
        ulong result = sign ? 0 - integer : integer;
        return width == 32 ? (ulong)(long)(int)result : result;
    }

    private static ulong Saturate(bool negative, ulong max, ulong minMagnitude, int width, ref uint flags)
    {
        flags |= FloatFlags.Invalid;
        ulong result = negative ? 0 - minMagnitude : max;
        return width == 32 ? (ulong)(long)(int)result : result;
    }
}
