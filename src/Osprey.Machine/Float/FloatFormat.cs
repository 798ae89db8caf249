namespace Osprey.Machine.Float;

/// <summary>
/// An IEEE 754 binary interchange format, described by its field widths. Values of either
/// format travel as the low bits of a <see cref="ulong"/>; <see cref="SoftFloat"/> takes the
/// format as a parameter, so single and double precision share one implementation.
/// </summary>
internal readonly struct FloatFormat
{
    /// <summary>binary32: 8 exponent bits, 23 fraction bits.</summary>
    public static readonly FloatFormat Single = new(8, 23);

    /// <summary>binary64: 11 exponent bits, 52 fraction bits.</summary>
    public static readonly FloatFormat Double = new(11, 52);

    private FloatFormat(int exponentBits, int fractionBits)
    {
        FractionBits = fractionBits;
        Bias = (1 << (exponentBits - 1)) - 1;
        ExponentMask = (1UL << exponentBits) - 1;
        FractionMask = (1UL << fractionBits) - 1;
        SignBit = 1UL << (exponentBits + fractionBits);
        Infinity = ExponentMask << fractionBits;
        // The RISC-V canonical NaN: positive, quiet bit set, rest of the payload zero.
        CanonicalNaN = Infinity | (1UL << (fractionBits - 1));
        QuietBit = 1UL << (fractionBits - 1);
        MaxFinite = Infinity - 1;
    }

    public int FractionBits { get; }

    public int Bias { get; }

    /// <summary>The exponent of the smallest normal number, 1 - bias.</summary>
    public int MinExponent => 1 - Bias;

    /// <summary>The exponent of the largest finite number, equal to the bias.</summary>
    public int MaxExponent => Bias;

    public ulong ExponentMask { get; }

    public ulong FractionMask { get; }

    public ulong SignBit { get; }

    public ulong Infinity { get; }

    public ulong CanonicalNaN { get; }

    public ulong QuietBit { get; }

    public ulong MaxFinite { get; }

    public bool IsNaN(ulong bits) => (bits & ~SignBit) > Infinity;

    public bool IsSignalingNaN(ulong bits) => IsNaN(bits) && (bits & QuietBit) == 0;

    public bool IsInfinity(ulong bits) => (bits & ~SignBit) == Infinity;

    public bool IsZero(ulong bits) => (bits & ~SignBit) == 0;

    public bool IsNegative(ulong bits) => (bits & SignBit) != 0;

    /// <summary>A subnormal number: the exponent field is 0 and the fraction is not.</summary>
    public bool IsSubnormal(ulong bits) => (bits & Infinity) == 0 && (bits & FractionMask) != 0;
}
