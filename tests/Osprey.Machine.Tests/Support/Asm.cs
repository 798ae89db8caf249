namespace Osprey.Machine.Tests.Support;

/// <summary>
/// An encoder for RV64GC (IMAFDC + Zicsr + Zifencei; F and D in Asm.Float.cs), written from the encoding tables of the
/// unprivileged specification, so the tests can build exact instruction words without an
/// assembler. 32-bit instructions return <see cref="uint"/>, compressed ones <see cref="ushort"/>.
///
/// Operands are in the specification's field order (rd, rs1, rs2, immediate) rather than
/// assembly order. Every encoder checks that each operand fits its field and is suitably
/// aligned, but it deliberately does NOT reject values the specification reserves (c.lui
/// with 0, c.lwsp into x0, ...): tests need exactly those to check that the machine rejects
/// them. The format helpers (<see cref="RType"/>, <see cref="CR"/>, ...) are public for the
/// same reason, to build reserved encodings field by field.
/// </summary>
public static partial class Asm
{
    // ABI register names, so tests read like assembly under `using static`.
    public const int Zero = 0, Ra = 1, Sp = 2, Gp = 3, Tp = 4, T0 = 5, T1 = 6, T2 = 7;
    public const int S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15;
    public const int A6 = 16, A7 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23;
    public const int S8 = 24, S9 = 25, S10 = 26, S11 = 27, T3 = 28, T4 = 29, T5 = 30, T6 = 31;

    // Major opcodes (inst[6:0]).
    public const uint OpLoad = 0x03, OpLoadFp = 0x07, OpCustom0 = 0x0B, OpMiscMem = 0x0F;
    public const uint OpImm = 0x13, OpAuipc = 0x17, OpImm32 = 0x1B, OpStore = 0x23;
    public const uint OpStoreFp = 0x27, OpAmo = 0x2F, OpReg = 0x33, OpLui = 0x37, OpReg32 = 0x3B;
    public const uint OpMadd = 0x43, OpMsub = 0x47, OpNmsub = 0x4B, OpNmadd = 0x4F, OpFp = 0x53;
    public const uint OpBranch = 0x63, OpJalr = 0x67, OpJal = 0x6F, OpSystem = 0x73;

    // Counter CSRs user mode may read.
    public const int CsrCycle = 0xC00, CsrTime = 0xC01, CsrInstret = 0xC02;

    // ---- 32-bit formats ----------------------------------------------------------------

    public static uint RType(uint opcode, int rd, uint funct3, int rs1, int rs2, uint funct7) =>
        (Bits(funct7, 7, nameof(funct7)) << 25) | (Reg(rs2) << 20) | (Reg(rs1) << 15)
        | (Bits(funct3, 3, nameof(funct3)) << 12) | (Reg(rd) << 7) | Bits(opcode, 7, nameof(opcode));

    public static uint IType(uint opcode, int rd, uint funct3, int rs1, int imm) =>
        ((uint)Signed(imm, 12) << 20) | (Reg(rs1) << 15) | (Bits(funct3, 3, nameof(funct3)) << 12)
        | (Reg(rd) << 7) | Bits(opcode, 7, nameof(opcode));

    public static uint SType(uint opcode, uint funct3, int rs1, int rs2, int imm)
    {
        uint i = (uint)Signed(imm, 12);
        return ((i >> 5) << 25) | (Reg(rs2) << 20) | (Reg(rs1) << 15) | (Bits(funct3, 3, nameof(funct3)) << 12)
            | ((i & 0x1F) << 7) | Bits(opcode, 7, nameof(opcode));
    }

    public static uint BType(uint funct3, int rs1, int rs2, int offset)
    {
        uint i = (uint)Signed(Even(offset), 13);
        return (((i >> 12) & 1) << 31) | (((i >> 5) & 0x3F) << 25) | (Reg(rs2) << 20) | (Reg(rs1) << 15)
            | (Bits(funct3, 3, nameof(funct3)) << 12) | (((i >> 1) & 0xF) << 8) | (((i >> 11) & 1) << 7) | OpBranch;
    }

    /// <summary>U-type with the 20-bit immediate given as it appears in inst[31:12] (0..0xFFFFF, or negative).</summary>
    public static uint UType(uint opcode, int rd, int imm20)
    {
        if (imm20 < -(1 << 19) || imm20 > 0xFFFFF)
            throw new ArgumentOutOfRangeException(nameof(imm20), imm20, "U-type immediate must fit 20 bits");
        return ((uint)imm20 << 12) | (Reg(rd) << 7) | Bits(opcode, 7, nameof(opcode));
    }

    public static uint JType(int rd, int offset)
    {
        uint i = (uint)Signed(Even(offset), 21);
        return (((i >> 20) & 1) << 31) | (((i >> 1) & 0x3FF) << 21) | (((i >> 11) & 1) << 20)
            | (((i >> 12) & 0xFF) << 12) | (Reg(rd) << 7) | OpJal;
    }

    // ---- RV32I / RV64I -----------------------------------------------------------------

    public static uint Lui(int rd, int imm20) => UType(OpLui, rd, imm20);
    public static uint Auipc(int rd, int imm20) => UType(OpAuipc, rd, imm20);
    public static uint Jal(int rd, int offset) => JType(rd, offset);
    public static uint Jalr(int rd, int rs1, int offset) => IType(OpJalr, rd, 0, rs1, offset);

    public static uint Beq(int rs1, int rs2, int offset) => BType(0, rs1, rs2, offset);
    public static uint Bne(int rs1, int rs2, int offset) => BType(1, rs1, rs2, offset);
    public static uint Blt(int rs1, int rs2, int offset) => BType(4, rs1, rs2, offset);
    public static uint Bge(int rs1, int rs2, int offset) => BType(5, rs1, rs2, offset);
    public static uint Bltu(int rs1, int rs2, int offset) => BType(6, rs1, rs2, offset);
    public static uint Bgeu(int rs1, int rs2, int offset) => BType(7, rs1, rs2, offset);

    public static uint Lb(int rd, int rs1, int offset) => IType(OpLoad, rd, 0, rs1, offset);
    public static uint Lh(int rd, int rs1, int offset) => IType(OpLoad, rd, 1, rs1, offset);
    public static uint Lw(int rd, int rs1, int offset) => IType(OpLoad, rd, 2, rs1, offset);
    public static uint Ld(int rd, int rs1, int offset) => IType(OpLoad, rd, 3, rs1, offset);
    public static uint Lbu(int rd, int rs1, int offset) => IType(OpLoad, rd, 4, rs1, offset);
    public static uint Lhu(int rd, int rs1, int offset) => IType(OpLoad, rd, 5, rs1, offset);
    public static uint Lwu(int rd, int rs1, int offset) => IType(OpLoad, rd, 6, rs1, offset);

    public static uint Sb(int rs1, int rs2, int offset) => SType(OpStore, 0, rs1, rs2, offset);
    public static uint Sh(int rs1, int rs2, int offset) => SType(OpStore, 1, rs1, rs2, offset);
    public static uint Sw(int rs1, int rs2, int offset) => SType(OpStore, 2, rs1, rs2, offset);
    public static uint Sd(int rs1, int rs2, int offset) => SType(OpStore, 3, rs1, rs2, offset);

    public static uint Addi(int rd, int rs1, int imm) => IType(OpImm, rd, 0, rs1, imm);
    public static uint Slti(int rd, int rs1, int imm) => IType(OpImm, rd, 2, rs1, imm);
    public static uint Sltiu(int rd, int rs1, int imm) => IType(OpImm, rd, 3, rs1, imm);
    public static uint Xori(int rd, int rs1, int imm) => IType(OpImm, rd, 4, rs1, imm);
    public static uint Ori(int rd, int rs1, int imm) => IType(OpImm, rd, 6, rs1, imm);
    public static uint Andi(int rd, int rs1, int imm) => IType(OpImm, rd, 7, rs1, imm);

    // RV64 shifts by immediate: a 6-bit shamt under a 6-bit funct6 (inst[31:26]).
    public static uint Slli(int rd, int rs1, int shamt) => IType(OpImm, rd, 1, rs1, Shamt(shamt, 6));
    public static uint Srli(int rd, int rs1, int shamt) => IType(OpImm, rd, 5, rs1, Shamt(shamt, 6));
    public static uint Srai(int rd, int rs1, int shamt) => IType(OpImm, rd, 5, rs1, 0x400 | Shamt(shamt, 6));

    public static uint Add(int rd, int rs1, int rs2) => RType(OpReg, rd, 0, rs1, rs2, 0);
    public static uint Sub(int rd, int rs1, int rs2) => RType(OpReg, rd, 0, rs1, rs2, 0x20);
    public static uint Sll(int rd, int rs1, int rs2) => RType(OpReg, rd, 1, rs1, rs2, 0);
    public static uint Slt(int rd, int rs1, int rs2) => RType(OpReg, rd, 2, rs1, rs2, 0);
    public static uint Sltu(int rd, int rs1, int rs2) => RType(OpReg, rd, 3, rs1, rs2, 0);
    public static uint Xor(int rd, int rs1, int rs2) => RType(OpReg, rd, 4, rs1, rs2, 0);
    public static uint Srl(int rd, int rs1, int rs2) => RType(OpReg, rd, 5, rs1, rs2, 0);
    public static uint Sra(int rd, int rs1, int rs2) => RType(OpReg, rd, 5, rs1, rs2, 0x20);
    public static uint Or(int rd, int rs1, int rs2) => RType(OpReg, rd, 6, rs1, rs2, 0);
    public static uint And(int rd, int rs1, int rs2) => RType(OpReg, rd, 7, rs1, rs2, 0);

    public static uint Addiw(int rd, int rs1, int imm) => IType(OpImm32, rd, 0, rs1, imm);
    public static uint Slliw(int rd, int rs1, int shamt) => IType(OpImm32, rd, 1, rs1, Shamt(shamt, 5));
    public static uint Srliw(int rd, int rs1, int shamt) => IType(OpImm32, rd, 5, rs1, Shamt(shamt, 5));
    public static uint Sraiw(int rd, int rs1, int shamt) => IType(OpImm32, rd, 5, rs1, 0x400 | Shamt(shamt, 5));
    public static uint Addw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 0, rs1, rs2, 0);
    public static uint Subw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 0, rs1, rs2, 0x20);
    public static uint Sllw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 1, rs1, rs2, 0);
    public static uint Srlw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 5, rs1, rs2, 0);
    public static uint Sraw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 5, rs1, rs2, 0x20);

    /// <summary>FENCE; pred and succ are 4-bit IORW sets (I=8, O=4, R=2, W=1), fm the fence mode.</summary>
    public static uint Fence(uint pred = 0xF, uint succ = 0xF, uint fm = 0) =>
        (Bits(fm, 4, nameof(fm)) << 28) | (Bits(pred, 4, nameof(pred)) << 24) | (Bits(succ, 4, nameof(succ)) << 20) | OpMiscMem;

    public static uint FenceTso() => Fence(0x3, 0x3, 0x8);
    public static uint FenceI() => IType(OpMiscMem, 0, 1, 0, 0);
    public static uint Ecall() => IType(OpSystem, 0, 0, 0, 0);
    public static uint Ebreak() => IType(OpSystem, 0, 0, 0, 1);

    // ---- M -----------------------------------------------------------------------------

    public static uint Mul(int rd, int rs1, int rs2) => RType(OpReg, rd, 0, rs1, rs2, 1);
    public static uint Mulh(int rd, int rs1, int rs2) => RType(OpReg, rd, 1, rs1, rs2, 1);
    public static uint Mulhsu(int rd, int rs1, int rs2) => RType(OpReg, rd, 2, rs1, rs2, 1);
    public static uint Mulhu(int rd, int rs1, int rs2) => RType(OpReg, rd, 3, rs1, rs2, 1);
    public static uint Div(int rd, int rs1, int rs2) => RType(OpReg, rd, 4, rs1, rs2, 1);
    public static uint Divu(int rd, int rs1, int rs2) => RType(OpReg, rd, 5, rs1, rs2, 1);
    public static uint Rem(int rd, int rs1, int rs2) => RType(OpReg, rd, 6, rs1, rs2, 1);
    public static uint Remu(int rd, int rs1, int rs2) => RType(OpReg, rd, 7, rs1, rs2, 1);
    public static uint Mulw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 0, rs1, rs2, 1);
    public static uint Divw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 4, rs1, rs2, 1);
    public static uint Divuw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 5, rs1, rs2, 1);
    public static uint Remw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 6, rs1, rs2, 1);
    public static uint Remuw(int rd, int rs1, int rs2) => RType(OpReg32, rd, 7, rs1, rs2, 1);

    // ---- A -----------------------------------------------------------------------------

    /// <summary>An AMO-format word: funct5, aq, rl, rs2 (source), rs1 (address), width funct3 (2 = .w, 3 = .d).</summary>
    public static uint AmoType(uint funct5, uint width, int rd, int rs1, int rs2, bool aq = false, bool rl = false) =>
        RType(OpAmo, rd, width, rs1, rs2, (Bits(funct5, 5, nameof(funct5)) << 2) | (aq ? 2u : 0) | (rl ? 1u : 0));

    public static uint LrW(int rd, int rs1, bool aq = false, bool rl = false) => AmoType(0b00010, 2, rd, rs1, 0, aq, rl);
    public static uint LrD(int rd, int rs1, bool aq = false, bool rl = false) => AmoType(0b00010, 3, rd, rs1, 0, aq, rl);
    public static uint ScW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00011, 2, rd, rs1, rs2, aq, rl);
    public static uint ScD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00011, 3, rd, rs1, rs2, aq, rl);
    public static uint AmoswapW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00001, 2, rd, rs1, rs2, aq, rl);
    public static uint AmoswapD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00001, 3, rd, rs1, rs2, aq, rl);
    public static uint AmoaddW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00000, 2, rd, rs1, rs2, aq, rl);
    public static uint AmoaddD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00000, 3, rd, rs1, rs2, aq, rl);
    public static uint AmoxorW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00100, 2, rd, rs1, rs2, aq, rl);
    public static uint AmoxorD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b00100, 3, rd, rs1, rs2, aq, rl);
    public static uint AmoandW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b01100, 2, rd, rs1, rs2, aq, rl);
    public static uint AmoandD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b01100, 3, rd, rs1, rs2, aq, rl);
    public static uint AmoorW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b01000, 2, rd, rs1, rs2, aq, rl);
    public static uint AmoorD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b01000, 3, rd, rs1, rs2, aq, rl);
    public static uint AmominW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b10000, 2, rd, rs1, rs2, aq, rl);
    public static uint AmominD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b10000, 3, rd, rs1, rs2, aq, rl);
    public static uint AmomaxW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b10100, 2, rd, rs1, rs2, aq, rl);
    public static uint AmomaxD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b10100, 3, rd, rs1, rs2, aq, rl);
    public static uint AmominuW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b11000, 2, rd, rs1, rs2, aq, rl);
    public static uint AmominuD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b11000, 3, rd, rs1, rs2, aq, rl);
    public static uint AmomaxuW(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b11100, 2, rd, rs1, rs2, aq, rl);
    public static uint AmomaxuD(int rd, int rs1, int rs2, bool aq = false, bool rl = false) => AmoType(0b11100, 3, rd, rs1, rs2, aq, rl);

    // ---- Zicsr -------------------------------------------------------------------------

    public static uint CsrType(uint funct3, int rd, int csr, int rs1OrUimm) =>
        (Bits((uint)csr, 12, nameof(csr)) << 20) | (Reg(rs1OrUimm) << 15) | (Bits(funct3, 3, nameof(funct3)) << 12)
        | (Reg(rd) << 7) | OpSystem;

    public static uint Csrrw(int rd, int csr, int rs1) => CsrType(1, rd, csr, rs1);
    public static uint Csrrs(int rd, int csr, int rs1) => CsrType(2, rd, csr, rs1);
    public static uint Csrrc(int rd, int csr, int rs1) => CsrType(3, rd, csr, rs1);
    public static uint Csrrwi(int rd, int csr, int uimm) => CsrType(5, rd, csr, uimm);
    public static uint Csrrsi(int rd, int csr, int uimm) => CsrType(6, rd, csr, uimm);
    public static uint Csrrci(int rd, int csr, int uimm) => CsrType(7, rd, csr, uimm);

    public static uint Rdcycle(int rd) => Csrrs(rd, CsrCycle, Zero);
    public static uint Rdtime(int rd) => Csrrs(rd, CsrTime, Zero);
    public static uint Rdinstret(int rd) => Csrrs(rd, CsrInstret, Zero);

    // ---- Privileged encodings: never legal in user mode, here to test that they trap ----

    public static uint Sret() => 0x10200073;
    public static uint Mret() => 0x30200073;
    public static uint Wfi() => 0x10500073;
    public static uint SfenceVma(int rs1, int rs2) => RType(OpSystem, 0, 0, rs1, rs2, 0b0001001);

    // ---- Common pseudo-instructions ----------------------------------------------------

    public static uint Nop() => Addi(Zero, Zero, 0);
    public static uint Mv(int rd, int rs) => Addi(rd, rs, 0);
    public static uint Li(int rd, int imm12) => Addi(rd, Zero, imm12);
    public static uint J(int offset) => Jal(Zero, offset);
    public static uint Ret() => Jalr(Zero, Ra, 0);

    // ---- Compressed formats ------------------------------------------------------------

    public static ushort CR(uint funct4, int rdRs1, int rs2, uint op) =>
        (ushort)((Bits(funct4, 4, nameof(funct4)) << 12) | (Reg(rdRs1) << 7) | (Reg(rs2) << 2) | Bits(op, 2, nameof(op)));

    /// <summary>CI with the 6 immediate bits already arranged as inst[12] (bit 5) and inst[6:2] (bits 4..0).</summary>
    public static ushort CI(uint funct3, int rdRs1, uint imm6, uint op) =>
        (ushort)((Bits(funct3, 3, nameof(funct3)) << 13) | ((Bits(imm6, 6, nameof(imm6)) >> 5) << 12) | (Reg(rdRs1) << 7)
            | ((imm6 & 0x1F) << 2) | Bits(op, 2, nameof(op)));

    /// <summary>CA: funct6, rd'/rs1', funct2, rs2' (register numbers 8..15).</summary>
    public static ushort CA(uint funct6, int rdRs1, uint funct2, int rs2, uint op) =>
        (ushort)((Bits(funct6, 6, nameof(funct6)) << 10) | (Prime(rdRs1) << 7) | (Bits(funct2, 2, nameof(funct2)) << 5)
            | (Prime(rs2) << 2) | Bits(op, 2, nameof(op)));

    /// <summary>A raw 16-bit word from funct3, the 11 bits inst[12:2] and the quadrant, for reserved encodings.</summary>
    public static ushort CRaw(uint funct3, uint bits12To2, uint op) =>
        (ushort)((Bits(funct3, 3, nameof(funct3)) << 13) | (Bits(bits12To2, 11, nameof(bits12To2)) << 2) | Bits(op, 2, nameof(op)));

    // ---- C, quadrant 0 -----------------------------------------------------------------

    /// <summary>c.addi4spn rd', nzuimm: rd' = sp + nzuimm (a multiple of 4 below 1024; 0 is reserved).</summary>
    public static ushort CAddi4spn(int rd, int nzuimm)
    {
        uint u = Unsigned(nzuimm, 10, 4);
        uint field = (((u >> 4) & 3) << 11) | (((u >> 6) & 0xF) << 7) | (((u >> 2) & 1) << 6) | (((u >> 3) & 1) << 5);
        return (ushort)(field | (Prime(rd) << 2));
    }

    public static ushort CLw(int rd, int rs1, int offset) => CLoadStoreWord(0b010, rd, rs1, offset);
    public static ushort CSw(int rs1, int rs2, int offset) => CLoadStoreWord(0b110, rs2, rs1, offset);
    public static ushort CLd(int rd, int rs1, int offset) => CLoadStoreDouble(0b011, rd, rs1, offset);
    public static ushort CSd(int rs1, int rs2, int offset) => CLoadStoreDouble(0b111, rs2, rs1, offset);

    private static ushort CLoadStoreWord(uint funct3, int reg, int rs1, int offset)
    {
        uint u = Unsigned(offset, 7, 4); // uimm[5:3] -> inst[12:10], uimm[2] -> inst[6], uimm[6] -> inst[5]
        return (ushort)((funct3 << 13) | (((u >> 3) & 7) << 10) | (Prime(rs1) << 7) | (((u >> 2) & 1) << 6)
            | (((u >> 6) & 1) << 5) | (Prime(reg) << 2));
    }

    private static ushort CLoadStoreDouble(uint funct3, int reg, int rs1, int offset)
    {
        uint u = Unsigned(offset, 8, 8); // uimm[5:3] -> inst[12:10], uimm[7:6] -> inst[6:5]
        return (ushort)((funct3 << 13) | (((u >> 3) & 7) << 10) | (Prime(rs1) << 7) | (((u >> 6) & 3) << 5) | (Prime(reg) << 2));
    }

    // ---- C, quadrant 1 -----------------------------------------------------------------

    public static ushort CNop(int imm = 0) => CI(0b000, 0, (uint)Signed(imm, 6), 0b01);
    public static ushort CAddi(int rd, int imm) => CI(0b000, rd, (uint)Signed(imm, 6), 0b01);
    public static ushort CAddiw(int rd, int imm) => CI(0b001, rd, (uint)Signed(imm, 6), 0b01);
    public static ushort CLi(int rd, int imm) => CI(0b010, rd, (uint)Signed(imm, 6), 0b01);

    /// <summary>c.addi16sp nzimm: sp += nzimm (a multiple of 16 in [-512, 496]; 0 is reserved).</summary>
    public static ushort CAddi16sp(int nzimm)
    {
        if (nzimm % 16 != 0)
            throw new ArgumentOutOfRangeException(nameof(nzimm), nzimm, "must be a multiple of 16");
        uint i = (uint)Signed(nzimm, 10);
        uint imm6 = (((i >> 9) & 1) << 5) | (((i >> 4) & 1) << 4) | (((i >> 6) & 1) << 3) | (((i >> 7) & 3) << 1) | ((i >> 5) & 1);
        return CI(0b011, Sp, imm6, 0b01);
    }

    /// <summary>c.lui rd, nzimm: rd = sign-extended nzimm &lt;&lt; 12, nzimm in [-32, 31] (0 is reserved).</summary>
    public static ushort CLui(int rd, int nzimm) => CI(0b011, rd, (uint)Signed(nzimm, 6), 0b01);

    public static ushort CSrli(int rd, int shamt) => CShiftOrAndi(0b00, rd, Shamt(shamt, 6));
    public static ushort CSrai(int rd, int shamt) => CShiftOrAndi(0b01, rd, Shamt(shamt, 6));
    public static ushort CAndi(int rd, int imm) => CShiftOrAndi(0b10, rd, Signed(imm, 6));

    private static ushort CShiftOrAndi(uint funct2, int rd, int imm6)
    {
        uint i = (uint)imm6 & 0x3F;
        return (ushort)((0b100u << 13) | ((i >> 5) << 12) | (funct2 << 10) | (Prime(rd) << 7) | ((i & 0x1F) << 2) | 0b01);
    }

    public static ushort CSub(int rd, int rs2) => CA(0b100011, rd, 0b00, rs2, 0b01);
    public static ushort CXor(int rd, int rs2) => CA(0b100011, rd, 0b01, rs2, 0b01);
    public static ushort COr(int rd, int rs2) => CA(0b100011, rd, 0b10, rs2, 0b01);
    public static ushort CAnd(int rd, int rs2) => CA(0b100011, rd, 0b11, rs2, 0b01);
    public static ushort CSubw(int rd, int rs2) => CA(0b100111, rd, 0b00, rs2, 0b01);
    public static ushort CAddw(int rd, int rs2) => CA(0b100111, rd, 0b01, rs2, 0b01);

    /// <summary>c.j offset (even, in [-2048, 2046]).</summary>
    public static ushort CJ(int offset)
    {
        uint i = (uint)Signed(Even(offset), 12);
        uint target = (((i >> 11) & 1) << 10) | (((i >> 4) & 1) << 9) | (((i >> 8) & 3) << 7) | (((i >> 10) & 1) << 6)
            | (((i >> 6) & 1) << 5) | (((i >> 7) & 1) << 4) | (((i >> 1) & 7) << 1) | ((i >> 5) & 1);
        return CRaw(0b101, target, 0b01);
    }

    public static ushort CBeqz(int rs1, int offset) => CBranch(0b110, rs1, offset);
    public static ushort CBnez(int rs1, int offset) => CBranch(0b111, rs1, offset);

    private static ushort CBranch(uint funct3, int rs1, int offset)
    {
        uint i = (uint)Signed(Even(offset), 9);
        return (ushort)((funct3 << 13) | (((i >> 8) & 1) << 12) | (((i >> 3) & 3) << 10) | (Prime(rs1) << 7)
            | (((i >> 6) & 3) << 5) | (((i >> 1) & 3) << 3) | (((i >> 5) & 1) << 2) | 0b01);
    }

    // ---- C, quadrant 2 -----------------------------------------------------------------

    public static ushort CSlli(int rd, int shamt) => CI(0b000, rd, (uint)Shamt(shamt, 6), 0b10);

    /// <summary>c.lwsp rd, offset(sp): offset a multiple of 4 below 256 (rd = x0 is reserved).</summary>
    public static ushort CLwsp(int rd, int offset)
    {
        uint u = Unsigned(offset, 8, 4);
        return CI(0b010, rd, (((u >> 5) & 1) << 5) | (((u >> 2) & 7) << 2) | ((u >> 6) & 3), 0b10);
    }

    /// <summary>c.ldsp rd, offset(sp): offset a multiple of 8 below 512 (rd = x0 is reserved).</summary>
    public static ushort CLdsp(int rd, int offset)
    {
        uint u = Unsigned(offset, 9, 8);
        return CI(0b011, rd, (((u >> 5) & 1) << 5) | (((u >> 3) & 3) << 3) | ((u >> 6) & 7), 0b10);
    }

    public static ushort CSwsp(int rs2, int offset)
    {
        uint u = Unsigned(offset, 8, 4); // uimm[5:2|7:6] -> inst[12:7]
        return (ushort)((0b110u << 13) | (((u >> 2) & 0xF) << 9) | (((u >> 6) & 3) << 7) | (Reg(rs2) << 2) | 0b10);
    }

    public static ushort CSdsp(int rs2, int offset)
    {
        uint u = Unsigned(offset, 9, 8); // uimm[5:3|8:6] -> inst[12:7]
        return (ushort)((0b111u << 13) | (((u >> 3) & 7) << 10) | (((u >> 6) & 7) << 7) | (Reg(rs2) << 2) | 0b10);
    }

    public static ushort CJr(int rs1) => CR(0b1000, rs1, 0, 0b10);
    public static ushort CMv(int rd, int rs2) => CR(0b1000, rd, rs2, 0b10);
    public static ushort CEbreak() => CR(0b1001, 0, 0, 0b10);
    public static ushort CJalr(int rs1) => CR(0b1001, rs1, 0, 0b10);
    public static ushort CAdd(int rd, int rs2) => CR(0b1001, rd, rs2, 0b10);

    // ---- field checks ------------------------------------------------------------------

    private static uint Reg(int r) =>
        (uint)r < 32 ? (uint)r : throw new ArgumentOutOfRangeException(nameof(r), r, "register must be 0..31");

    private static uint Prime(int r) =>
        r is >= 8 and <= 15 ? (uint)(r - 8) : throw new ArgumentOutOfRangeException(nameof(r), r, "compressed register must be x8..x15");

    private static uint Bits(uint value, int width, string name) =>
        value < (1u << width) ? value : throw new ArgumentOutOfRangeException(name, value, $"must fit {width} bits");

    /// <summary>Checks a signed immediate fits <paramref name="width"/> bits and returns its low bits.</summary>
    private static int Signed(int value, int width)
    {
        int min = -(1 << (width - 1)), max = (1 << (width - 1)) - 1;
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"must fit a signed {width}-bit immediate");
        return value & ((1 << width) - 1);
    }

    private static uint Unsigned(int value, int width, int alignment)
    {
        if (value < 0 || value >= (1 << width) || value % alignment != 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"must be a multiple of {alignment} below {1 << width}");
        return (uint)value;
    }

    private static int Shamt(int shamt, int width) =>
        shamt >= 0 && shamt < (1 << width) ? shamt : throw new ArgumentOutOfRangeException(nameof(shamt), shamt, $"shift amount must fit {width} bits");

    private static int Even(int offset) =>
        (offset & 1) == 0 ? offset : throw new ArgumentOutOfRangeException(nameof(offset), offset, "offset must be even");
}
