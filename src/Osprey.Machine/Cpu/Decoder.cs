namespace Osprey.Machine.Cpu;

/// <summary>
/// Decodes RV64GC (IMAFDC + Zicsr + Zifencei) instruction bits into <see cref="DecodedInst"/>.
/// Anything reserved, unimplemented (privileged instructions, other extensions) or not
/// allowed in user mode decodes to <see cref="Op.Illegal"/> carrying the instruction bits,
/// which become stval of the illegal-instruction trap. The F and D encodings are in
/// Decoder.Float.cs.
/// </summary>
internal static partial class Decoder
{
    /// <summary>The x0 sink: writes to rd = x0 land here and are never read.</summary>
    public const byte Sink = 32;

    public const int CsrCycle = 0xC00;
    public const int CsrTime = 0xC01;
    public const int CsrInstret = 0xC02;

    public static bool IsCompressed(uint bits) => (bits & 3) != 3;

    public static DecodedInst Decode(uint bits) =>
        IsCompressed(bits) ? DecodeCompressed((ushort)bits) : Decode32(bits);

    public static DecodedInst Illegal(uint bits, int length) =>
        new() { Op = Op.Illegal, Imm = (int)bits, Length = (byte)length };

    // ---- 32-bit encodings ------------------------------------------------------------

    private static DecodedInst Decode32(uint b)
    {
        uint opcode = b & 0x7F;
        uint funct3 = (b >> 12) & 7;
        uint funct7 = b >> 25;
        byte rd = (byte)((b >> 7) & 31), rs1 = (byte)((b >> 15) & 31), rs2 = (byte)((b >> 20) & 31);
        int immI = (int)b >> 20;

        switch (opcode)
        {
            case 0x37: return R(Op.Lui, rd, 0, 0, (int)(b & 0xFFFFF000));
            case 0x17: return R(Op.Auipc, rd, 0, 0, (int)(b & 0xFFFFF000));
            case 0x6F: return R(Op.Jal, rd, 0, 0, ImmJ(b));
            case 0x67: return funct3 == 0 ? R(Op.Jalr, rd, rs1, 0, immI) : Illegal(b, 4);
            case 0x63:
                {
                    Op op = funct3 switch
                    {
                        0 => Op.Beq, 1 => Op.Bne, 4 => Op.Blt, 5 => Op.Bge, 6 => Op.Bltu, 7 => Op.Bgeu,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal(b, 4) : Branch(op, rs1, rs2, ImmB(b));
                }
            case 0x03:
                {
                    Op op = funct3 switch
                    {
                        0 => Op.Lb, 1 => Op.Lh, 2 => Op.Lw, 3 => Op.Ld, 4 => Op.Lbu, 5 => Op.Lhu, 6 => Op.Lwu,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal(b, 4) : R(op, rd, rs1, 0, immI);
                }
            case 0x23:
                {
                    Op op = funct3 switch { 0 => Op.Sb, 1 => Op.Sh, 2 => Op.Sw, 3 => Op.Sd, _ => Op.Illegal };
                    int imm = ((int)(b & 0xFE000000) >> 20) | (int)((b >> 7) & 31);
                    return op == Op.Illegal ? Illegal(b, 4) : Branch(op, rs1, rs2, imm);
                }
            case 0x13: return DecodeOpImm(b, rd, rs1, funct3, immI);
            case 0x1B: return DecodeOpImm32(b, rd, rs1, funct3, immI);
            case 0x33: return DecodeOp(b, rd, rs1, rs2, funct3, funct7);
            case 0x3B: return DecodeOp32(b, rd, rs1, rs2, funct3, funct7);
            case 0x0F:
                // The unused fields of FENCE and FENCE.I are reserved for finer-grained fences
                // and base implementations ignore them (unprivileged spec, Zifencei).
                return funct3 switch
                {
                    0 => R(Op.Fence, 0, 0, 0, 0),
                    1 => R(Op.FenceI, 0, 0, 0, 0),
                    _ => Illegal(b, 4),
                };
            case 0x73: return DecodeSystem(b, rd, rs1, funct3);
            case 0x2F: return DecodeAmo(b, rd, rs1, rs2, funct3);
            case 0x07: return DecodeLoadFloat(b, rd, rs1, funct3, immI);
            case 0x27: return DecodeStoreFloat(b, rs1, rs2, funct3);
            case 0x43: case 0x47: case 0x4B: case 0x4F: return DecodeFusedMultiplyAdd(b, rd, rs1, rs2, funct3);
            case 0x53: return DecodeOpFloat(b, rd, rs1, rs2, funct3, funct7);
            default: return Illegal(b, 4);
        }
    }

    private static DecodedInst DecodeOpImm(uint b, byte rd, byte rs1, uint funct3, int imm)
    {
        switch (funct3)
        {
            case 0: return R(Op.Addi, rd, rs1, 0, imm);
            case 2: return R(Op.Slti, rd, rs1, 0, imm);
            case 3: return R(Op.Sltiu, rd, rs1, 0, imm);
            case 4: return R(Op.Xori, rd, rs1, 0, imm);
            case 6: return R(Op.Ori, rd, rs1, 0, imm);
            case 7: return R(Op.Andi, rd, rs1, 0, imm);
            case 1: return (b >> 26) == 0 ? R(Op.Slli, rd, rs1, 0, (int)((b >> 20) & 63)) : Illegal(b, 4);
            default:
                return (b >> 26) switch
                {
                    0 => R(Op.Srli, rd, rs1, 0, (int)((b >> 20) & 63)),
                    0x10 => R(Op.Srai, rd, rs1, 0, (int)((b >> 20) & 63)),
                    _ => Illegal(b, 4),
                };
        }
    }

    private static DecodedInst DecodeOpImm32(uint b, byte rd, byte rs1, uint funct3, int imm)
    {
        uint funct7 = b >> 25, shamt = (b >> 20) & 31;
        return funct3 switch
        {
            0 => R(Op.Addiw, rd, rs1, 0, imm),
            1 when funct7 == 0 => R(Op.Slliw, rd, rs1, 0, (int)shamt),
            5 when funct7 == 0 => R(Op.Srliw, rd, rs1, 0, (int)shamt),
            5 when funct7 == 0x20 => R(Op.Sraiw, rd, rs1, 0, (int)shamt),
            _ => Illegal(b, 4),
        };
    }

    private static DecodedInst DecodeOp(uint b, byte rd, byte rs1, byte rs2, uint funct3, uint funct7)
    {
        Op op = (funct7, funct3) switch
        {
            (0, 0) => Op.Add, (0x20, 0) => Op.Sub, (0, 1) => Op.Sll, (0, 2) => Op.Slt, (0, 3) => Op.Sltu,
            (0, 4) => Op.Xor, (0, 5) => Op.Srl, (0x20, 5) => Op.Sra, (0, 6) => Op.Or, (0, 7) => Op.And,
            (1, 0) => Op.Mul, (1, 1) => Op.Mulh, (1, 2) => Op.Mulhsu, (1, 3) => Op.Mulhu,
            (1, 4) => Op.Div, (1, 5) => Op.Divu, (1, 6) => Op.Rem, (1, 7) => Op.Remu,
            _ => Op.Illegal,
        };
        return op == Op.Illegal ? Illegal(b, 4) : R(op, rd, rs1, rs2, 0);
    }

    private static DecodedInst DecodeOp32(uint b, byte rd, byte rs1, byte rs2, uint funct3, uint funct7)
    {
        Op op = (funct7, funct3) switch
        {
            (0, 0) => Op.Addw, (0x20, 0) => Op.Subw, (0, 1) => Op.Sllw, (0, 5) => Op.Srlw, (0x20, 5) => Op.Sraw,
            (1, 0) => Op.Mulw, (1, 4) => Op.Divw, (1, 5) => Op.Divuw, (1, 6) => Op.Remw, (1, 7) => Op.Remuw,
            _ => Op.Illegal,
        };
        return op == Op.Illegal ? Illegal(b, 4) : R(op, rd, rs1, rs2, 0);
    }

    private static DecodedInst DecodeSystem(uint b, byte rd, byte rs1, uint funct3)
    {
        if (funct3 == 0)
        {
            // ECALL and EBREAK are fixed encodings; MRET, SRET, WFI, SFENCE.VMA and the rest
            // of this space are privileged, so illegal in user mode.
            return b switch
            {
                0x00000073 => R(Op.Ecall, 0, 0, 0, 0),
                0x00100073 => R(Op.Ebreak, 0, 0, 0, 0),
                _ => Illegal(b, 4),
            };
        }
        if (funct3 == 4)
            return Illegal(b, 4);

        // Zicsr. User mode may read and write the floating-point CSRs, and only read cycle,
        // time and instret; those are read-only, so any form that writes (CSRRW/CSRRWI always,
        // CSRRS/CSRRC with rs1 != x0, the I forms with a non-zero immediate) is illegal, as is
        // touching any other CSR.
        int csr = (int)(b >> 20);
        if (csr is CsrFflags or CsrFrm or CsrFcsr)
            return R(Op.CsrFloat, rd, rs1, 0, csr | (int)(funct3 << 12));
        bool writes = (funct3 & 3) == 1 || rs1 != 0;
        if (writes || (csr != CsrCycle && csr != CsrTime && csr != CsrInstret))
            return Illegal(b, 4);
        return R(Op.CsrRead, rd, 0, 0, csr);
    }

    private static DecodedInst DecodeAmo(uint b, byte rd, byte rs1, byte rs2, uint funct3)
    {
        if (funct3 != 2 && funct3 != 3)
            return Illegal(b, 4);
        bool d = funct3 == 3;
        uint funct5 = b >> 27;
        Op op = funct5 switch
        {
            0b00010 when rs2 == 0 => d ? Op.LrD : Op.LrW,
            0b00011 => d ? Op.ScD : Op.ScW,
            0b00001 => d ? Op.AmoSwapD : Op.AmoSwapW,
            0b00000 => d ? Op.AmoAddD : Op.AmoAddW,
            0b00100 => d ? Op.AmoXorD : Op.AmoXorW,
            0b01100 => d ? Op.AmoAndD : Op.AmoAndW,
            0b01000 => d ? Op.AmoOrD : Op.AmoOrW,
            0b10000 => d ? Op.AmoMinD : Op.AmoMinW,
            0b10100 => d ? Op.AmoMaxD : Op.AmoMaxW,
            0b11000 => d ? Op.AmoMinuD : Op.AmoMinuW,
            0b11100 => d ? Op.AmoMaxuD : Op.AmoMaxuW,
            _ => Op.Illegal,
        };
        // aq/rl need no action: every atomic is a full host fence.
        return op == Op.Illegal ? Illegal(b, 4) : R(op, rd, rs1, rs2, 0);
    }

    // ---- 16-bit (C extension, RV64) --------------------------------------------------

    private static DecodedInst DecodeCompressed(ushort h)
    {
        uint b = h;
        uint quadrant = b & 3, funct3 = b >> 13;
        byte rdFull = (byte)((b >> 7) & 31), rs2Full = (byte)((b >> 2) & 31);
        byte rdPrime = (byte)(((b >> 2) & 7) + 8), rs1Prime = (byte)(((b >> 7) & 7) + 8);
        int imm6 = SignExtend(((b >> 7) & 0x20) | ((b >> 2) & 0x1F), 6);

        switch (quadrant)
        {
            case 0:
                switch (funct3)
                {
                    case 0:
                        {
                            uint nzuimm = ((b >> 7) & 0x30) | ((b >> 1) & 0x3C0) | ((b >> 4) & 0x4) | ((b >> 2) & 0x8);
                            return nzuimm == 0 ? Illegal(b, 2) : C(Op.Addi, rdPrime, 2, 0, (int)nzuimm);
                        }
                    case 2: return C(Op.Lw, rdPrime, rs1Prime, 0, (int)ClwOffset(b));
                    case 3: return C(Op.Ld, rdPrime, rs1Prime, 0, (int)CldOffset(b));
                    case 6: return CStore(Op.Sw, rs1Prime, rdPrime, (int)ClwOffset(b));
                    case 7: return CStore(Op.Sd, rs1Prime, rdPrime, (int)CldOffset(b));
                    case 1: return C(Op.Fld, Float(rdPrime), rs1Prime, 0, (int)CldOffset(b));
                    case 5: return CStore(Op.Fsd, rs1Prime, Float(rdPrime), (int)CldOffset(b));
                    default: return Illegal(b, 2); // reserved
                }
            case 1:
                switch (funct3)
                {
                    case 0: return C(Op.Addi, rdFull, rdFull, 0, imm6);
                    case 1: return rdFull == 0 ? Illegal(b, 2) : C(Op.Addiw, rdFull, rdFull, 0, imm6);
                    case 2: return C(Op.Addi, rdFull, 0, 0, imm6);
                    case 3:
                        if (rdFull == 2)
                        {
                            int imm = SignExtend(((b >> 3) & 0x200) | ((b >> 2) & 0x10) | ((b << 1) & 0x40)
                                | ((b << 4) & 0x180) | ((b << 3) & 0x20), 10);
                            return imm == 0 ? Illegal(b, 2) : C(Op.Addi, 2, 2, 0, imm);
                        }
                        return imm6 == 0 ? Illegal(b, 2) : C(Op.Lui, rdFull, 0, 0, imm6 << 12);
                    case 4: return DecodeCompressedAlu(b, rs1Prime, rdPrime, imm6);
                    case 5: return C(Op.Jal, 0, 0, 0, CjOffset(b));
                    case 6: return CBranch(Op.Beq, rs1Prime, CbOffset(b));
                    default: return CBranch(Op.Bne, rs1Prime, CbOffset(b));
                }
            default:
                switch (funct3)
                {
                    case 0: return C(Op.Slli, rdFull, rdFull, 0, (int)(((b >> 7) & 0x20) | ((b >> 2) & 0x1F)));
                    case 2:
                        {
                            uint off = ((b >> 7) & 0x20) | ((b >> 2) & 0x1C) | ((b << 4) & 0xC0);
                            return rdFull == 0 ? Illegal(b, 2) : C(Op.Lw, rdFull, 2, 0, (int)off);
                        }
                    case 3:
                        {
                            uint off = ((b >> 7) & 0x20) | ((b >> 2) & 0x18) | ((b << 4) & 0x1C0);
                            return rdFull == 0 ? Illegal(b, 2) : C(Op.Ld, rdFull, 2, 0, (int)off);
                        }
                    case 1:
                        {
                            // c.fldsp: as c.ldsp, but f0 is a valid destination.
                            uint off = ((b >> 7) & 0x20) | ((b >> 2) & 0x18) | ((b << 4) & 0x1C0);
                            return C(Op.Fld, Float(rdFull), 2, 0, (int)off);
                        }
                    case 4:
                        if ((b & 0x1000) == 0)
                        {
                            if (rs2Full == 0)
                                return rdFull == 0 ? Illegal(b, 2) : C(Op.Jalr, 0, rdFull, 0, 0);
                            return C(Op.Add, rdFull, 0, rs2Full, 0);
                        }
                        if (rs2Full == 0)
                            return rdFull == 0 ? C(Op.Ebreak, 0, 0, 0, 0) : C(Op.Jalr, 1, rdFull, 0, 0);
                        return C(Op.Add, rdFull, rdFull, rs2Full, 0);
                    case 6:
                        {
                            uint off = ((b >> 7) & 0x3C) | ((b >> 1) & 0xC0);
                            return CStore(Op.Sw, 2, rs2Full, (int)off);
                        }
                    case 7:
                        {
                            uint off = ((b >> 7) & 0x38) | ((b >> 1) & 0x1C0);
                            return CStore(Op.Sd, 2, rs2Full, (int)off);
                        }
                    default:
                        {
                            // c.fsdsp (funct3 5), the only encoding left in this quadrant.
                            uint off = ((b >> 7) & 0x38) | ((b >> 1) & 0x1C0);
                            return CStore(Op.Fsd, 2, Float(rs2Full), (int)off);
                        }
                }
        }
    }

    private static DecodedInst DecodeCompressedAlu(uint b, byte rd, byte rs2, int imm6)
    {
        int shamt = (int)(((b >> 7) & 0x20) | ((b >> 2) & 0x1F));
        switch ((b >> 10) & 3)
        {
            case 0: return C(Op.Srli, rd, rd, 0, shamt);
            case 1: return C(Op.Srai, rd, rd, 0, shamt);
            case 2: return C(Op.Andi, rd, rd, 0, imm6);
        }
        uint sel = (b >> 5) & 3;
        if ((b & 0x1000) == 0)
        {
            Op op = sel switch { 0 => Op.Sub, 1 => Op.Xor, 2 => Op.Or, _ => Op.And };
            return C(op, rd, rd, rs2, 0);
        }
        return sel switch
        {
            0 => C(Op.Subw, rd, rd, rs2, 0),
            1 => C(Op.Addw, rd, rd, rs2, 0),
            _ => Illegal(b, 2),
        };
    }

    private static uint ClwOffset(uint b) => ((b >> 7) & 0x38) | ((b >> 4) & 0x4) | ((b << 1) & 0x40);

    private static uint CldOffset(uint b) => ((b >> 7) & 0x38) | ((b << 1) & 0xC0);

    private static int CjOffset(uint b) => SignExtend(
        ((b >> 1) & 0x800) | ((b >> 7) & 0x10) | ((b >> 1) & 0x300) | ((b << 2) & 0x400)
        | ((b >> 1) & 0x40) | ((b << 1) & 0x80) | ((b >> 2) & 0xE) | ((b << 3) & 0x20), 12);

    private static int CbOffset(uint b) => SignExtend(
        ((b >> 4) & 0x100) | ((b >> 7) & 0x18) | ((b << 1) & 0xC0) | ((b >> 2) & 0x6) | ((b << 3) & 0x20), 9);

    // ---- helpers ---------------------------------------------------------------------

    private static int ImmJ(uint b) => SignExtend(
        ((b >> 11) & 0x100000) | (b & 0xFF000) | ((b >> 9) & 0x800) | ((b >> 20) & 0x7FE), 21);

    private static int ImmB(uint b) => SignExtend(
        ((b >> 19) & 0x1000) | ((b << 4) & 0x800) | ((b >> 20) & 0x7E0) | ((b >> 7) & 0x1E), 13);

    private static int SignExtend(uint value, int bits) => (int)(value << (32 - bits)) >> (32 - bits);

    private static byte Dest(byte rd) => rd == 0 ? Sink : rd;

    private static DecodedInst R(Op op, byte rd, byte rs1, byte rs2, int imm) =>
        new() { Op = op, Rd = Dest(rd), Rs1 = rs1, Rs2 = rs2, Imm = imm, Length = 4 };

    private static DecodedInst Branch(Op op, byte rs1, byte rs2, int imm) =>
        new() { Op = op, Rd = Sink, Rs1 = rs1, Rs2 = rs2, Imm = imm, Length = 4 };

    private static DecodedInst C(Op op, byte rd, byte rs1, byte rs2, int imm) =>
        new() { Op = op, Rd = Dest(rd), Rs1 = rs1, Rs2 = rs2, Imm = imm, Length = 2 };

    private static DecodedInst CStore(Op op, byte rs1, byte rs2, int imm) =>
        new() { Op = op, Rd = Sink, Rs1 = rs1, Rs2 = rs2, Imm = imm, Length = 2 };

    private static DecodedInst CBranch(Op op, byte rs1, int imm) =>
        new() { Op = op, Rd = Sink, Rs1 = rs1, Rs2 = 0, Imm = imm, Length = 2 };
}
