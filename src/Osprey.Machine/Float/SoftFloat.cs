using System.Numerics;
using System.Runtime.CompilerServices;

namespace Osprey.Machine.Float;

/// <summary>
/// IEEE 754-2019 arithmetic for binary32 and binary64 as the RISC-V F and D extensions define
/// it, computed with integers so that every rounding mode, every flag and the canonical NaN
/// come out exactly (the host's double arithmetic only rounds to nearest and reports no flags).
///
/// The method: an operation unpacks its operands into sign, exponent and a 63-bit significand,
/// forms the exact result (or one whose lost low bits are "jammed" into a sticky bit, which
/// rounds the same way), and hands it to <see cref="RoundPack"/>, the one place that rounds,
/// detects overflow and underflow, and encodes. Underflow follows RISC-V: tininess is detected
/// after rounding, and the flag is raised only when the tiny result is also inexact.
///
/// Every NaN result is the canonical NaN (RISC-V does not propagate payloads); a signalling
/// NaN operand raises NV.
/// </summary>
internal static partial class SoftFloat
{
    /// <summary>
    /// The significand's leading one sits at this bit in unpacked form, leaving bit 63 free for
    /// a carry. Value = significand * 2^(exponent - 62).
    /// </summary>
    private const int LeadBit = 62;

    /// <summary>
    /// Splits a finite nonzero number into sign, exponent and a significand normalized so its
    /// leading one is bit 62: value = significand * 2^(exponent - 62). Subnormals are
    /// normalized too, so their exponent is below the format's minimum.
    /// </summary>
    private static void Unpack(in FloatFormat f, ulong bits, out bool sign, out int exponent, out ulong significand)
    {
        sign = (bits & f.SignBit) != 0;
        int biased = (int)((bits >> f.FractionBits) & f.ExponentMask);
        ulong fraction = bits & f.FractionMask;
        if (biased != 0)
        {
            significand = (fraction | (1UL << f.FractionBits)) << (LeadBit - f.FractionBits);
            exponent = biased - f.Bias;
            return;
        }
        int leading = 63 - BitOperations.LeadingZeroCount(fraction);
        significand = fraction << (LeadBit - leading);
        exponent = f.MinExponent - f.FractionBits + leading;
    }

    /// <summary>
    /// Rounds sign * <paramref name="significand"/> * 2^(<paramref name="exponent"/> - 62) to the
    /// format and encodes it. The significand must be nonzero and below 2^63; it need not be
    /// normalized, and any bits already lost below it must be jammed into bit 0.
    /// </summary>
    private static ulong RoundPack(in FloatFormat f, bool sign, int exponent, ulong significand, RoundingMode rm, ref uint flags)
    {
        int normalize = BitOperations.LeadingZeroCount(significand) - 1;
        significand <<= normalize;
        exponent -= normalize;

        int roundBits = LeadBit - f.FractionBits;
        ulong roundMask = (1UL << roundBits) - 1;
        ulong half = 1UL << (roundBits - 1);
        ulong increment = rm switch
        {
            RoundingMode.NearestEven or RoundingMode.NearestMaxMagnitude => half,
            RoundingMode.TowardZero => 0,
            RoundingMode.Down => sign ? roundMask : 0,
            _ => sign ? 0 : roundMask,
        };

        bool tiny = false;
        if (exponent < f.MinExponent)
        {
            // Tiny after rounding: rounded to full precision with an unbounded exponent, the
            // result is still below 2^emin. Only a value just below 2^emin whose rounding
            // carries into the next binade escapes.
            tiny = exponent < f.MinExponent - 1 || significand + increment < 1UL << 63;
            significand = ShiftRightJam(significand, f.MinExponent - exponent);
            exponent = f.MinExponent;
        }

        ulong lost = significand & roundMask;
        if (lost != 0)
        {
            flags |= FloatFlags.Inexact;
            if (tiny)
                flags |= FloatFlags.Underflow;
        }
        ulong kept = (significand + increment) >> roundBits;
        if (rm == RoundingMode.NearestEven && lost == half)
            kept &= ~1UL;
        if (kept >> (f.FractionBits + 1) != 0)
        {
            // Rounded up to the next power of two: exactly 2^(fraction bits + 1), so nothing is lost.
            kept >>= 1;
            exponent++;
        }
        if (exponent > f.MaxExponent)
            return Overflow(f, sign, rm, ref flags);

        ulong signBit = sign ? f.SignBit : 0;
        if (kept == 0)
            return signBit;
        // A normal kept value carries its hidden bit at FractionBits, which adds one to the
        // exponent field; a subnormal's (exponent = emin) lacks it, and its field becomes 0.
        return signBit | (((ulong)(exponent + f.Bias - 1) << f.FractionBits) + kept);
    }

    /// <summary>The overflowed result: infinity, or the largest finite number when the mode rounds toward zero from that side.</summary>
    private static ulong Overflow(in FloatFormat f, bool sign, RoundingMode rm, ref uint flags)
    {
        flags |= FloatFlags.Overflow | FloatFlags.Inexact;
        bool toInfinity = rm switch
        {
            RoundingMode.TowardZero => false,
            RoundingMode.Down => sign,
            RoundingMode.Up => !sign,
            _ => true,
        };
        return (sign ? f.SignBit : 0) | (toInfinity ? f.Infinity : f.MaxFinite);
    }

    /// <summary>Rounds a 128-bit significand: value = sign * <paramref name="wide"/> * 2^(exponent - 125), nonzero.</summary>
    private static ulong RoundPackWide(in FloatFormat f, bool sign, int exponent, UInt128 wide, RoundingMode rm, ref uint flags)
    {
        int leading = 127 - (int)UInt128.LeadingZeroCount(wide);
        int shift = leading - LeadBit;
        ulong significand = shift > 0 ? (ulong)ShiftRightJam(wide, shift) : (ulong)wide << -shift;
        return RoundPack(f, sign, exponent + leading - 125, significand, rm, ref flags);
    }

    /// <summary>The sign of an exact zero sum of operands of opposite signs: +0, except -0 when rounding down.</summary>
    private static ulong ExactZero(in FloatFormat f, RoundingMode rm) => rm == RoundingMode.Down ? f.SignBit : 0;

    /// <summary>The canonical NaN, raising NV if either operand is a signalling NaN.</summary>
    private static ulong PropagateNaN(in FloatFormat f, ulong a, ulong b, ref uint flags)
    {
        if (f.IsSignalingNaN(a) || f.IsSignalingNaN(b))
            flags |= FloatFlags.Invalid;
        return f.CanonicalNaN;
    }

    private static ulong Invalid(in FloatFormat f, ref uint flags)
    {
        flags |= FloatFlags.Invalid;
        return f.CanonicalNaN;
    }

    /// <summary>Shifts right by <paramref name="count"/> (≥ 0), ORing any bit shifted out into bit 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftRightJam(ulong value, int count)
    {
        if (count == 0)
            return value;
        if (count >= 63)
            return value != 0 ? 1UL : 0;
        return (value >> count) | ((value << (64 - count)) != 0 ? 1UL : 0);
    }

    private static UInt128 ShiftRightJam(UInt128 value, int count)
    {
        if (count == 0)
            return value;
        if (count >= 127)
            return value != UInt128.Zero ? UInt128.One : UInt128.Zero;
        return (value >> count) | ((value << (128 - count)) != UInt128.Zero ? UInt128.One : UInt128.Zero);
    }
}
