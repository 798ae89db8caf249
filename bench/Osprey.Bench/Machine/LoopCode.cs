namespace Osprey.Bench.Machine;

/// <summary>Endless loops in machine code for <see cref="HartBenchmarks"/>, encoded from the base ISA's formats.</summary>
internal static class LoopCode
{
    /// <summary>s1 points at the data area.</summary>
    public const int DataRegister = 9;

    private const int A0 = 10, A1 = 11, A2 = 12, T0 = 5, S1 = 9;

    /// <summary>Integer mixing with a back branch every six instructions.</summary>
    public static uint[] Alu() =>
    [
        IType(0x13, A0, 0, A0, 1),         // addi a0, a0, 1
        RType(0x33, A1, 4, A1, A0, 0),     // xor  a1, a1, a0
        IType(0x13, A2, 1, A1, 3),         // slli a2, a1, 3
        RType(0x33, A1, 0, A1, A2, 0),     // add  a1, a1, a2
        IType(0x13, T0, 0, T0, -1),        // addi t0, t0, -1
        BType(1, T0, 0, -20),              // bne  t0, zero, loop (never zero within a run)
    ];

    /// <summary>Four loads and stores per seven instructions, all TLB hits after the first.</summary>
    public static uint[] LoadStore() =>
    [
        IType(0x03, A0, 3, S1, 0),         // ld   a0, 0(s1)
        IType(0x13, A0, 0, A0, 1),         // addi a0, a0, 1
        SType(3, S1, A0, 8),               // sd   a0, 8(s1)
        IType(0x03, A1, 2, S1, 16),        // lw   a1, 16(s1)
        SType(2, S1, A1, 24),              // sw   a1, 24(s1)
        IType(0x13, T0, 0, T0, -1),        // addi t0, t0, -1
        BType(1, T0, 0, -24),              // bne  t0, zero, loop
    ];

    /// <summary>Data-dependent branches, taken about half the time.</summary>
    public static uint[] Branchy() =>
    [
        IType(0x13, A0, 0, A0, 7),         // addi a0, a0, 7
        IType(0x13, A1, 7, A0, 4),         // andi a1, a0, 4
        BType(0, A1, 0, 8),                // beq  a1, zero, +8
        IType(0x13, A2, 0, A2, 1),         // addi a2, a2, 1
        IType(0x13, T0, 0, T0, -1),        // addi t0, t0, -1
        BType(1, T0, 0, -20),              // bne  t0, zero, loop
    ];

    /// <summary>Registers f10..f13 the <see cref="Float"/> loop starts with (0, 0.5, 3, 0): values that stay normal.</summary>
    public static readonly (int Register, double Value)[] FloatStart = [(10, 0), (11, 0.5), (12, 3), (13, 0)];

    /// <summary>Double-precision fused multiply-add, multiply, add and divide, then the loop's integer step and branch.</summary>
    public static uint[] Float() =>
    [
        R4Type(0x43, FA0, FA1, FA2, FA0),  // fmadd.d fa0, fa1, fa2, fa0 (fa0 grows by 1.5 a turn)
        RType(0x53, FA3, 7, FA0, FA1, 9),  // fmul.d  fa3, fa0, fa1
        RType(0x53, FA3, 7, FA3, FA2, 1),  // fadd.d  fa3, fa3, fa2
        RType(0x53, FA3, 7, FA3, FA2, 13), // fdiv.d  fa3, fa3, fa2
        IType(0x13, T0, 0, T0, -1),        // addi t0, t0, -1
        BType(1, T0, 0, -20),              // bne  t0, zero, loop
    ];

    private const int FA0 = 10, FA1 = 11, FA2 = 12, FA3 = 13;

    /// <summary>The fused multiply-add format, double precision, dynamic rounding: rd = rs1 * rs2 + rs3.</summary>
    private static uint R4Type(uint opcode, int rd, int rs1, int rs2, int rs3) =>
        opcode | ((uint)rd << 7) | (7u << 12) | ((uint)rs1 << 15) | ((uint)rs2 << 20) | (1u << 25) | ((uint)rs3 << 27);

    private static uint RType(uint opcode, int rd, uint funct3, int rs1, int rs2, uint funct7) =>
        opcode | ((uint)rd << 7) | (funct3 << 12) | ((uint)rs1 << 15) | ((uint)rs2 << 20) | (funct7 << 25);

    private static uint IType(uint opcode, int rd, uint funct3, int rs1, int imm) =>
        opcode | ((uint)rd << 7) | (funct3 << 12) | ((uint)rs1 << 15) | ((uint)(imm & 0xFFF) << 20);

    private static uint SType(uint funct3, int rs1, int rs2, int imm) =>
        0x23 | ((uint)(imm & 31) << 7) | (funct3 << 12) | ((uint)rs1 << 15) | ((uint)rs2 << 20) | ((uint)(imm >> 5 & 0x7F) << 25);

    private static uint BType(uint funct3, int rs1, int rs2, int offset)
    {
        uint imm = (uint)offset;
        return 0x63 | (((imm >> 11) & 1) << 7) | (((imm >> 1) & 0xF) << 8) | (funct3 << 12)
            | ((uint)rs1 << 15) | ((uint)rs2 << 20) | (((imm >> 5) & 0x3F) << 25) | (((imm >> 12) & 1) << 31);
    }
}
