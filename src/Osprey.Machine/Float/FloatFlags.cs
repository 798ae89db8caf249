namespace Osprey.Machine.Float;

/// <summary>
/// The accrued exception flags, as the bits of the fflags CSR. Operations OR them into a
/// flags word the caller passes by reference; the hart ORs that into fflags.
/// </summary>
internal static class FloatFlags
{
    /// <summary>NX: the rounded result differs from the exact one.</summary>
    public const uint Inexact = 1;

    /// <summary>UF: the result is tiny (detected after rounding) and inexact.</summary>
    public const uint Underflow = 2;

    /// <summary>OF: the rounded result's magnitude exceeds the largest finite number.</summary>
    public const uint Overflow = 4;

    /// <summary>DZ: a finite nonzero number divided by zero.</summary>
    public const uint DivideByZero = 8;

    /// <summary>NV: an invalid operation (a signalling NaN, inf - inf, 0 * inf, sqrt(-1), an unrepresentable conversion ...).</summary>
    public const uint Invalid = 16;

    public const uint All = 31;
}
