namespace Osprey.Machine.Float;

/// <summary>
/// The five rounding modes, numbered as the rm field of an instruction and the frm CSR
/// encode them. rm = 7 (dynamic, "use frm") and the reserved values 5 and 6 never reach
/// <see cref="SoftFloat"/>: the hart resolves the first and traps on the others.
/// </summary>
internal enum RoundingMode : byte
{
    /// <summary>RNE: to nearest, ties to even.</summary>
    NearestEven = 0,

    /// <summary>RTZ: toward zero.</summary>
    TowardZero = 1,

    /// <summary>RDN: toward negative infinity.</summary>
    Down = 2,

    /// <summary>RUP: toward positive infinity.</summary>
    Up = 3,

    /// <summary>RMM: to nearest, ties away from zero (to maximum magnitude).</summary>
    NearestMaxMagnitude = 4,
}
