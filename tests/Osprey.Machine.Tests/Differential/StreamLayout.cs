namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Where a random stream keeps its data and what it writes to fd 1. Each stream owns a
/// scratch buffer placed so that it straddles a page boundary (exercising the MMU's
/// page-crossing paths for misaligned accesses), preceded by the register dumps: x1..x31,
/// then f0..f31 and fcsr.
/// </summary>
internal static class StreamLayout
{
    /// <summary>Bytes of scratch memory, which loads, stores and atomics touch.</summary>
    public const int ScratchBytes = 512;

    /// <summary>x1..x31 as 64-bit words, padded to 256 bytes.</summary>
    public const int DumpBytes = 256;

    /// <summary>f0..f31 and fcsr as 64-bit words, padded to 272 bytes.</summary>
    public const int FloatDumpBytes = 272;

    /// <summary>Where the scratch buffer starts in a stream's output, after both dumps.</summary>
    public const int ScratchOutputOffset = DumpBytes + FloatDumpBytes;

    /// <summary>What each stream writes: the dumps followed by the scratch buffer.</summary>
    public const int OutputBytes = ScratchOutputOffset + ScratchBytes;

    /// <summary>Offset of s0 (the second base register) into the scratch buffer; sp points at its start.</summary>
    public const int S0Offset = 256;

    /// <summary>Page offset of the scratch buffer, chosen so s0 sits exactly on a page boundary.</summary>
    public const int ScratchPageOffset = 4096 - S0Offset;

    public static readonly string[] RegisterNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    /// <summary>The f registers by ABI name, as objdump prints them.</summary>
    public static readonly string[] FloatRegisterNames =
    [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ];

    /// <summary>
    /// The registers a random instruction may write: all but x0 (added separately, rarely),
    /// sp and s0, which stay pointed at the scratch buffer so every memory access lands in it.
    /// </summary>
    public static readonly int[] Destinations =
        [.. Enumerable.Range(1, 31).Where(r => r != 2 && r != 8)];
}
