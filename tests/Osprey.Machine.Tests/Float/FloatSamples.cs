using Osprey.Machine.Tests.Differential;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// Operand values drawn from the classes where floating point goes wrong: zeros of both
/// signs, subnormals, the smallest and largest normals, infinities, quiet and signalling
/// NaNs, values near 1 and near each other (for cancellation), and plain random bits. Seeded
/// with <see cref="SplitMix64"/> so a failure's seed reproduces it.
/// </summary>
internal sealed class FloatSamples(ulong seed)
{
    private readonly SplitMix64 _rng = new(seed);

    public static readonly ulong[] DoubleSpecials =
    [
        0, 0x8000_0000_0000_0000, // +0, -0
        0x0000_0000_0000_0001, 0x8000_0000_0000_0001, // smallest subnormals
        0x000F_FFFF_FFFF_FFFF, 0x800F_FFFF_FFFF_FFFF, // largest subnormals
        0x0010_0000_0000_0000, 0x8010_0000_0000_0000, // smallest normals
        0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFF, // largest finite
        0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, // infinities
        0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0001, // quiet NaNs
        0x7FF0_0000_0000_0001, 0xFFF4_0000_0000_0000, // signalling NaNs
        0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, // +-1
        0x3FF0_0000_0000_0001, 0x3FEF_FFFF_FFFF_FFFF, // 1 + ulp, 1 - ulp/2
        0x4000_0000_0000_0000, 0x3FE0_0000_0000_0000, // 2, 0.5
        0x43E0_0000_0000_0000, 0xC3E0_0000_0000_0000, // +-2^63
        0x41E0_0000_0000_0000, 0xC1E0_0000_0000_0000, // +-2^31
        0x41EF_FFFF_FFE0_0000, 0x41F0_0000_0000_0000, // 2^32 - 1, 2^32
        0x3FF8_0000_0000_0000, 0x4004_0000_0000_0000, // 1.5, 2.5
    ];

    public static readonly ulong[] SingleSpecials =
    [
        0, 0x8000_0000, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0080_0000, 0x8080_0000,
        0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0001, 0x7F80_0001, 0xFFA0_0000,
        0x3F80_0000, 0xBF80_0000, 0x3F80_0001, 0x3F7F_FFFF, 0x4000_0000, 0x3F00_0000,
        0x5F00_0000, 0xDF00_0000, 0x4F00_0000, 0xCF00_0000, 0x4F80_0000, 0x3FC0_0000, 0x4020_0000,
    ];

    public ulong Double() => Next(DoubleSpecials, 52, 11);

    public ulong Single() => Next(SingleSpecials, 23, 8);

    /// <summary>A value near <paramref name="other"/> (same exponent or one off), so subtraction cancels.</summary>
    public ulong DoubleNear(ulong other) => Near(other, 52, 64);

    public ulong SingleNear(ulong other) => Near(other, 23, 32);

    public int Below(int n) => _rng.Below(n);

    public ulong Bits() => _rng.Next();

    private ulong Next(ulong[] specials, int fractionBits, int exponentBits)
    {
        int width = fractionBits + exponentBits + 1;
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong sign = (_rng.Next() & 1) << (width - 1);
        ulong fraction = _rng.Next() & ((1UL << fractionBits) - 1);
        int bias = (1 << (exponentBits - 1)) - 1;
        switch (_rng.Below(10))
        {
            case 0:
            case 1:
                return _rng.Pick(specials);
            case 2:
                return sign | fraction >> _rng.Below(fractionBits); // subnormal
            case 3:
                // Near the bottom of the normal range, where products and quotients go subnormal.
                return sign | ((ulong)_rng.Between(1, fractionBits + 2) << fractionBits) | fraction;
            case 4:
                // Near the top, where they overflow.
                return sign | ((ulong)_rng.Between(2 * bias - fractionBits, 2 * bias) << fractionBits) | fraction;
            case 5:
                // Short significands, so that results are often exact.
                return sign | ((ulong)_rng.Between(bias - 20, bias + 20) << fractionBits)
                    | (fraction & ~((1UL << (fractionBits - _rng.Between(1, 8))) - 1));
            case 6:
                return sign | ((ulong)_rng.Between(bias - 3, bias + 3) << fractionBits) | fraction;
            default:
                return _rng.Next() & mask;
        }
    }

    private ulong Near(ulong other, int fractionBits, int width)
    {
        ulong sign = _rng.Chance(50) ? 1UL << (width - 1) : 0;
        ulong delta = _rng.Next() & ((1UL << _rng.Between(0, fractionBits)) - 1);
        ulong value = ((other & ~(1UL << (width - 1))) ^ delta) | sign;
        return width == 64 ? value : value & 0xFFFF_FFFF;
    }
}
