namespace Osprey.Machine.Tests.Float;

/// <summary>Bit patterns for the tables: doubles raw, singles NaN-boxed as they sit in a register.</summary>
internal static class FloatValues
{
    public const ulong Box = 0xFFFF_FFFF_0000_0000;

    public static ulong D(double v) => BitConverter.DoubleToUInt64Bits(v);

    public static ulong S(float v) => Box | BitConverter.SingleToUInt32Bits(v);

    /// <summary>A single given by its 32 bits, boxed.</summary>
    public static ulong Sb(uint bits) => Box | bits;

    // binary64
    public const ulong DPosZero = 0, DNegZero = 0x8000_0000_0000_0000;
    public const ulong DMinSub = 0x0000_0000_0000_0001, DMaxSub = 0x000F_FFFF_FFFF_FFFF;
    public const ulong DMinNormal = 0x0010_0000_0000_0000, DMax = 0x7FEF_FFFF_FFFF_FFFF;
    public const ulong DInf = 0x7FF0_0000_0000_0000, DNegInf = 0xFFF0_0000_0000_0000;
    public const ulong DQNaN = 0x7FF8_0000_0000_0000, DSNaN = 0x7FF0_0000_0000_0001;
    public const ulong DQNaNPayload = 0xFFF8_0000_DEAD_BEEF, DSNaNPayload = 0xFFF4_0000_0000_1234;
    public const ulong DOne = 0x3FF0_0000_0000_0000, DOneUlp = 0x3FF0_0000_0000_0001;

    // binary32, boxed
    public const ulong SPosZero = Box, SNegZero = Box | 0x8000_0000;
    public const ulong SMinSub = Box | 0x0000_0001, SMaxSub = Box | 0x007F_FFFF, SMinNormal = Box | 0x0080_0000;
    public const ulong SMax = Box | 0x7F7F_FFFF, SInf = Box | 0x7F80_0000, SNegInf = Box | 0xFF80_0000;
    public const ulong SQNaN = Box | 0x7FC0_0000, SSNaN = Box | 0x7F80_0001, SQNaNPayload = Box | 0xFFC0_BEEF;
    public const ulong SOne = Box | 0x3F80_0000;

    /// <summary>A single that is not properly NaN-boxed: reads as the canonical NaN.</summary>
    public const ulong SUnboxed = 0x0000_0000_3F80_0000;
}
