using System.Globalization;

namespace Osprey.Machine.Disasm;

/// <summary>
/// Operand spellings shared by the 32-bit and compressed decoders, chosen to match what
/// <c>objdump -M no-aliases</c> prints so that traces can be diffed against it.
/// </summary>
internal static class Operands
{
    // objdump prints ABI names, and s0 rather than fp for x8.
    private static readonly string[] RegisterNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
        "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    // objdump prints the floating-point ABI names.
    private static readonly string[] FloatRegisterNames =
    [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
        "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ];

    // The rm field: dyn (7) is left out of the text, 5 and 6 are reserved and objdump calls them "unknown".
    private static readonly string[] RoundingModes = ["rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", ""];

    // Index is the 4-bit predecessor or successor set of a fence (bit 3 = I, 2 = O, 1 = R, 0 = W);
    // objdump spells the empty set "unknown" instead of leaving the operand blank.
    private static readonly string[] FenceSets =
    [
        "unknown", "w", "r", "rw", "o", "ow", "or", "orw",
        "i", "iw", "ir", "irw", "io", "iow", "ior", "iorw",
    ];

    /// <summary>
    /// For formatting signed immediates: the current culture could spell the minus sign
    /// differently (some use U+2212), and the text must match objdump's whatever the host's
    /// locale. Unsigned and hex operands come out the same under every culture.
    /// </summary>
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Reg(uint number) => RegisterNames[number & 31];

    /// <summary>The 3-bit register fields of compressed instructions name x8..x15.</summary>
    public static string CompressedReg(uint number) => RegisterNames[8 + (number & 7)];

    public static string FloatReg(uint number) => FloatRegisterNames[number & 31];

    /// <summary>f8..f15, named by a compressed instruction's 3-bit field.</summary>
    public static string CompressedFloatReg(uint number) => FloatRegisterNames[8 + (number & 7)];

    /// <summary>The rounding-mode operand with its leading comma, or nothing for dyn.</summary>
    public static string RoundingMode(uint rm) => (rm & 7) == 7 ? "" : "," + RoundingModes[rm & 7];

    public static string FenceSet(uint set) => FenceSets[set & 15];

    /// <summary>
    /// A pc-relative target as an absolute address. objdump appends " &lt;symbol+offset&gt;"
    /// when it has symbols; a disassembler of bare words has none, so the address alone is
    /// printed, in the "0x..." form objdump itself uses when there are no symbols.
    /// </summary>
    /// <remarks>
    /// Callers format it as "0x{Target(...):x}" directly, saving a string per instruction.
    /// </remarks>
    public static ulong Target(ulong pc, long offset) => pc + (ulong)offset;

    /// <summary>What objdump prints for a 32-bit word it does not recognise as an instruction.</summary>
    public static string Unknown32(uint bits) => $".4byte\t0x{bits:x}";

    /// <summary>What objdump prints for a 16-bit parcel it does not recognise as an instruction.</summary>
    public static string Unknown16(ushort bits) => $".2byte\t0x{bits:x}";
}
