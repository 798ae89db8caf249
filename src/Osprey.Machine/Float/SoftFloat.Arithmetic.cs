namespace Osprey.Machine.Float;

internal static partial class SoftFloat
{
    /// <summary>a + b, or a - b when <paramref name="subtract"/> (fadd, fsub).</summary>
    public static ulong Add(in FloatFormat f, ulong a, ulong b, bool subtract, RoundingMode rm, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
            return PropagateNaN(f, a, b, ref flags);
        if (subtract)
            b ^= f.SignBit;
        bool sameSign = ((a ^ b) & f.SignBit) == 0;
        if (f.IsInfinity(a))
            return f.IsInfinity(b) && !sameSign ? Invalid(f, ref flags) : a;
        if (f.IsInfinity(b))
            return b;
        if (f.IsZero(a))
            return f.IsZero(b) && !sameSign ? ExactZero(f, rm) : b;
        if (f.IsZero(b))
            return a;

        Unpack(f, a, out bool signA, out int expA, out ulong sigA);
        Unpack(f, b, out _, out int expB, out ulong sigB);
        bool sign = signA;
        if (expA < expB || (expA == expB && sigA < sigB))
        {
            (expA, expB) = (expB, expA);
            (sigA, sigB) = (sigB, sigA);
            sign = sameSign ? signA : !signA;
        }
        // |a| >= |b| now. Bits of b shifted out are jammed: with a difference of exponents of
        // 2 or more the result keeps at least 61 bits above them, far above the rounding point,
        // and with 0 or 1 nothing significant is shifted out.
        sigB = ShiftRightJam(sigB, expA - expB);
        ulong significand;
        if (sameSign)
        {
            significand = sigA + sigB;
            if (significand >> 63 != 0)
            {
                significand = ShiftRightJam(significand, 1);
                expA++;
            }
        }
        else
        {
            significand = sigA - sigB;
            if (significand == 0)
                return ExactZero(f, rm);
        }
        return RoundPack(f, sign, expA, significand, rm, ref flags);
    }

    /// <summary>a * b (fmul).</summary>
    public static ulong Multiply(in FloatFormat f, ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
            return PropagateNaN(f, a, b, ref flags);
        ulong signBit = (a ^ b) & f.SignBit;
        if (f.IsInfinity(a) || f.IsInfinity(b))
            return f.IsZero(a) || f.IsZero(b) ? Invalid(f, ref flags) : signBit | f.Infinity;
        if (f.IsZero(a) || f.IsZero(b))
            return signBit;

        Unpack(f, a, out _, out int expA, out ulong sigA);
        Unpack(f, b, out _, out int expB, out ulong sigB);
        // The product of two significands in [2^62, 2^63) lies in [2^124, 2^126); keep its top
        // 64 bits with the rest jammed.
        ulong high = Math.BigMul(sigA, sigB, out ulong low);
        ulong significand = (high << 2) | (low >> 62) | ((low & ((1UL << 62) - 1)) != 0 ? 1UL : 0);
        int exponent = expA + expB;
        if (significand >> 63 != 0)
        {
            significand = ShiftRightJam(significand, 1);
            exponent++;
        }
        return RoundPack(f, signBit != 0, exponent, significand, rm, ref flags);
    }

    /// <summary>a / b (fdiv).</summary>
    public static ulong Divide(in FloatFormat f, ulong a, ulong b, RoundingMode rm, ref uint flags)
    {
        if (f.IsNaN(a) || f.IsNaN(b))
            return PropagateNaN(f, a, b, ref flags);
        ulong signBit = (a ^ b) & f.SignBit;
        if (f.IsInfinity(a))
            return f.IsInfinity(b) ? Invalid(f, ref flags) : signBit | f.Infinity;
        if (f.IsInfinity(b))
            return signBit;
        if (f.IsZero(b))
        {
            if (f.IsZero(a))
                return Invalid(f, ref flags);
            flags |= FloatFlags.DivideByZero;
            return signBit | f.Infinity;
        }
        if (f.IsZero(a))
            return signBit;

        Unpack(f, a, out _, out int expA, out ulong sigA);
        Unpack(f, b, out _, out int expB, out ulong sigB);
        // (sigA * 2^62) / sigB lies in (2^61, 2^63): at least 62 quotient bits, and the
        // remainder says whether anything was lost.
        UInt128 dividend = (UInt128)sigA << 62;
        ulong quotient = (ulong)(dividend / sigB);
        bool exact = dividend == (UInt128)quotient * sigB;
        return RoundPack(f, signBit != 0, expA - expB, quotient | (exact ? 0UL : 1UL), rm, ref flags);
    }

    /// <summary>The square root of a (fsqrt); sqrt(-0) is -0.</summary>
    public static ulong SquareRoot(in FloatFormat f, ulong a, RoundingMode rm, ref uint flags)
    {
        if (f.IsNaN(a))
            return PropagateNaN(f, a, a, ref flags);
        if (f.IsZero(a))
            return a;
        if (f.IsNegative(a))
            return Invalid(f, ref flags);
        if (f.IsInfinity(a))
            return a;

        Unpack(f, a, out _, out int exponent, out ulong significand);
        // value = significand * 2^k with k = exponent - 62. Shift the significand left by 62
        // or 63 to make the remaining power of two even; its integer square root then has 63
        // bits, and the remainder says whether it was exact.
        int k = exponent - LeadBit;
        int shift = (k & 1) == 0 ? 62 : 63;
        UInt128 radicand = (UInt128)significand << shift;
        ulong root = IntegerSquareRoot(radicand);
        bool exact = (UInt128)root * root == radicand;
        return RoundPack(f, false, (k - shift) / 2 + LeadBit, root | (exact ? 0UL : 1UL), rm, ref flags);
    }

    /// <summary>
    /// The fused multiply-adds: (a * b) + c computed exactly and rounded once, with the
    /// product and the addend negated as fmsub, fnmsub and fnmadd ask. RISC-V raises NV for
    /// infinity times zero even when c is a quiet NaN.
    /// </summary>
    public static ulong MultiplyAdd(in FloatFormat f, ulong a, ulong b, ulong c, bool negateProduct, bool negateAddend,
        RoundingMode rm, ref uint flags)
    {
        bool infinityTimesZero = (f.IsInfinity(a) && f.IsZero(b)) || (f.IsZero(a) && f.IsInfinity(b));
        if (infinityTimesZero)
        {
            PropagateNaN(f, c, c, ref flags);
            return Invalid(f, ref flags);
        }
        if (f.IsNaN(a) || f.IsNaN(b) || f.IsNaN(c))
        {
            PropagateNaN(f, a, b, ref flags);
            return PropagateNaN(f, c, c, ref flags);
        }
        bool productSign = (((a ^ b) & f.SignBit) != 0) ^ negateProduct;
        if (negateAddend)
            c ^= f.SignBit;
        bool addendSign = f.IsNegative(c);
        ulong productSignBit = productSign ? f.SignBit : 0;

        if (f.IsInfinity(a) || f.IsInfinity(b))
            return f.IsInfinity(c) && addendSign != productSign ? Invalid(f, ref flags) : productSignBit | f.Infinity;
        if (f.IsInfinity(c))
            return c;
        if (f.IsZero(a) || f.IsZero(b))
        {
            if (!f.IsZero(c))
                return c;
            return addendSign == productSign ? c : ExactZero(f, rm);
        }

        Unpack(f, a, out _, out int expA, out ulong sigA);
        Unpack(f, b, out _, out int expB, out ulong sigB);
        // The exact product, normalized so its leading one is bit 125: value = product * 2^(e - 125).
        ulong high = Math.BigMul(sigA, sigB, out ulong low);
        var product = new UInt128(high, low);
        int productExp = expA + expB;
        if ((high >> 61) != 0)
            productExp++;
        else
            product <<= 1;
        if (f.IsZero(c))
            return RoundPackWide(f, productSign, productExp, product, rm, ref flags);

        Unpack(f, c, out _, out int addendExp, out ulong sigC);
        UInt128 addend = (UInt128)sigC << 63;

        // Align the smaller to the larger, jamming what is shifted out: as in Add, lost bits
        // only ever sit far below the rounding point of the result.
        UInt128 big = product, small = addend;
        int bigExp = productExp, smallExp = addendExp;
        bool sign = productSign;
        if (addendExp > productExp || (addendExp == productExp && addend > product))
        {
            (big, small) = (addend, product);
            (bigExp, smallExp) = (addendExp, productExp);
            sign = addendSign;
        }
        small = ShiftRightJam(small, Math.Min(bigExp - smallExp, 127));
        UInt128 sum;
        if (productSign == addendSign)
        {
            sum = big + small;
        }
        else
        {
            sum = big - small;
            if (sum == UInt128.Zero)
                return ExactZero(f, rm);
        }
        return RoundPackWide(f, sign, bigExp, sum, rm, ref flags);
    }

    /// <summary>floor(sqrt(n)) for n in [2^124, 2^126).</summary>
    private static ulong IntegerSquareRoot(UInt128 n)
    {
        // The double estimate is good to about 2^-52 relative; one Newton step in integers
        // takes it to within one or two, and the loops settle the last unit.
        var estimate = (ulong)Math.Sqrt((double)n);
        ulong root = (ulong)(((UInt128)estimate + n / estimate) >> 1);
        while ((UInt128)root * root > n)
            root--;
        while ((UInt128)(root + 1) * (root + 1) <= n)
            root++;
        return root;
    }
}
