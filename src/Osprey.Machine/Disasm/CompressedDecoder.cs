using static Osprey.Machine.Disasm.Operands;

namespace Osprey.Machine.Disasm;

/// <summary>
/// Disassembles 16-bit RV64C instructions under their own c.* names (objdump's no-aliases
/// output), not as the 32-bit instructions they expand to, including the double-precision
/// loads and stores (c.fld, c.fsd, c.fldsp, c.fsdsp) of RV64DC.
/// Signed immediates are formatted with <see cref="Operands.Invariant"/>.
/// </summary>
internal static class CompressedDecoder
{
    public static string Decode(ushort h, ulong pc)
    {
        uint c = h;
        uint funct3 = c >> 13;
        return (c & 3) switch
        {
            0 => Quadrant0(h, c, funct3),
            1 => Quadrant1(h, c, funct3, pc),
            _ => Quadrant2(h, c, funct3),
        };
    }

    // Bits 4..2 and 9..7: the 3-bit register fields of the CIW/CL/CS/CA/CB formats.
    private static uint RdPrime(uint c) => (c >> 2) & 7;

    private static uint Rs1Prime(uint c) => (c >> 7) & 7;

    // Bits 11..7 and 6..2: the full register fields of the CR/CI/CSS formats.
    private static uint Rd(uint c) => (c >> 7) & 31;

    private static uint Rs2(uint c) => (c >> 2) & 31;

    /// <summary>The sign-extended 6-bit immediate of the CI format: bit 12 then bits 6..2.</summary>
    private static int ImmCi(uint c) => (((int)(c << 19) >> 26) & ~31) | (int)((c >> 2) & 31);

    /// <summary>The 6-bit unsigned shift amount of c.slli/c.srli/c.srai (bit 12 is shamt[5]).</summary>
    private static uint Shamt(uint c) => ((c >> 7) & 0x20) | ((c >> 2) & 31);

    private static string Quadrant0(ushort h, uint c, uint funct3)
    {
        switch (funct3)
        {
            case 0:
            {
                if (c == 0) return "c.unimp";
                // nzuimm[5:4|9:6|2|3] in bits 12..5.
                uint imm = ((c >> 7) & 0x30) | ((c >> 1) & 0x3c0) | ((c >> 4) & 0x4) | ((c >> 2) & 0x8);
                if (imm == 0) break;
                return $"c.addi4spn\t{CompressedReg(RdPrime(c))},sp,{imm}";
            }
            case 1:
            {
                uint imm = ((c >> 7) & 0x38) | ((c << 1) & 0xc0);
                return $"c.fld\t{CompressedFloatReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
            case 5:
            {
                uint imm = ((c >> 7) & 0x38) | ((c << 1) & 0xc0);
                return $"c.fsd\t{CompressedFloatReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
            case 2:
            {
                // uimm[5:3] in bits 12..10, uimm[2|6] in bits 6..5.
                uint imm = ((c >> 7) & 0x38) | ((c >> 4) & 0x4) | ((c << 1) & 0x40);
                return $"c.lw\t{CompressedReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
            case 3:
            {
                // uimm[5:3] in bits 12..10, uimm[7:6] in bits 6..5.
                uint imm = ((c >> 7) & 0x38) | ((c << 1) & 0xc0);
                return $"c.ld\t{CompressedReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
            case 6:
            {
                uint imm = ((c >> 7) & 0x38) | ((c >> 4) & 0x4) | ((c << 1) & 0x40);
                return $"c.sw\t{CompressedReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
            case 7:
            {
                uint imm = ((c >> 7) & 0x38) | ((c << 1) & 0xc0);
                return $"c.sd\t{CompressedReg(RdPrime(c))},{imm}({CompressedReg(Rs1Prime(c))})";
            }
        }
        return Unknown16(h);
    }

    private static string Quadrant1(ushort h, uint c, uint funct3, ulong pc)
    {
        uint rd = Rd(c);
        switch (funct3)
        {
            case 0:
                return string.Create(Invariant, $"c.addi\t{Reg(rd)},{ImmCi(c)}");

            case 1:
                if (rd == 0) break;
                return string.Create(Invariant, $"c.addiw\t{Reg(rd)},{ImmCi(c)}");

            case 2:
                return string.Create(Invariant, $"c.li\t{Reg(rd)},{ImmCi(c)}");

            case 3:
                if (rd == 2)
                {
                    // nzimm[9] in bit 12, nzimm[4|6|8:7|5] in bits 6..2.
                    int imm = (((int)(c << 19) >> 22) & ~0x1ff)
                              | (int)((c >> 2) & 0x10)
                              | (int)((c << 1) & 0x40)
                              | (int)((c << 4) & 0x180)
                              | (int)((c << 3) & 0x20);
                    // A zero immediate is reserved, but objdump still prints it as c.addi16sp.
                    return string.Create(Invariant, $"c.addi16sp\tsp,{imm}");
                }
                else
                {
                    int imm = ImmCi(c);
                    if (imm == 0) break;
                    // objdump shows the 20-bit field lui would hold, so negative values wrap.
                    return $"c.lui\t{Reg(rd)},0x{imm & 0xfffff:x}";
                }

            case 4:
                return Arithmetic(h, c);

            case 5:
            {
                // imm[11|4|9:8|10|6|7|3:1|5] in bits 12..2.
                int imm = (((int)(c << 19) >> 20) & ~0x7ff)
                          | (int)((c >> 7) & 0x10)
                          | (int)((c >> 1) & 0x300)
                          | (int)((c << 2) & 0x400)
                          | (int)((c >> 1) & 0x40)
                          | (int)((c << 1) & 0x80)
                          | (int)((c >> 2) & 0xe)
                          | (int)((c << 3) & 0x20);
                return $"c.j\t0x{Target(pc, imm):x}";
            }

            default:
            {
                // imm[8|4:3] in bits 12..10, imm[7:6|2:1|5] in bits 6..2.
                int imm = (((int)(c << 19) >> 23) & ~0xff)
                          | (int)((c >> 7) & 0x18)
                          | (int)((c << 1) & 0xc0)
                          | (int)((c >> 2) & 0x6)
                          | (int)((c << 3) & 0x20);
                string name = funct3 == 6 ? "c.beqz" : "c.bnez";
                return $"{name}\t{CompressedReg(Rs1Prime(c))},0x{Target(pc, imm):x}";
            }
        }
        return Unknown16(h);
    }

    private static string Arithmetic(ushort h, uint c)
    {
        string rd = CompressedReg(Rs1Prime(c));
        switch ((c >> 10) & 3)
        {
            case 0:
            {
                // A zero shift amount is the RV128 64-bit shift, which objdump names separately.
                uint shamt = Shamt(c);
                return shamt == 0 ? $"c.srli64\t{rd}" : $"c.srli\t{rd},0x{shamt:x}";
            }
            case 1:
            {
                uint shamt = Shamt(c);
                return shamt == 0 ? $"c.srai64\t{rd}" : $"c.srai\t{rd},0x{shamt:x}";
            }
            case 2:
                return string.Create(Invariant, $"c.andi\t{rd},{ImmCi(c)}");
        }

        string rs2 = CompressedReg(RdPrime(c));
        string name = (((c >> 10) & 4) | ((c >> 5) & 3)) switch
        {
            0 => "c.sub",
            1 => "c.xor",
            2 => "c.or",
            3 => "c.and",
            4 => "c.subw",
            5 => "c.addw",
            _ => "",
        };
        if (name.Length == 0) return Unknown16(h);
        return $"{name}\t{rd},{rs2}";
    }

    private static string Quadrant2(ushort h, uint c, uint funct3)
    {
        uint rd = Rd(c);
        uint rs2 = Rs2(c);
        switch (funct3)
        {
            case 0:
            {
                uint shamt = Shamt(c);
                return shamt == 0 ? $"c.slli64\t{Reg(rd)}" : $"c.slli\t{Reg(rd)},0x{shamt:x}";
            }
            case 2:
            {
                if (rd == 0) break;
                // uimm[5] in bit 12, uimm[4:2|7:6] in bits 6..2.
                uint imm = ((c >> 7) & 0x20) | ((c >> 2) & 0x1c) | ((c << 4) & 0xc0);
                return $"c.lwsp\t{Reg(rd)},{imm}(sp)";
            }
            case 1:
            {
                // As c.ldsp, but f0 is a valid destination.
                uint imm = ((c >> 7) & 0x20) | ((c >> 2) & 0x18) | ((c << 4) & 0x1c0);
                return $"c.fldsp\t{FloatReg(rd)},{imm}(sp)";
            }
            case 5:
            {
                uint imm = ((c >> 7) & 0x38) | ((c >> 1) & 0x1c0);
                return $"c.fsdsp\t{FloatReg(rs2)},{imm}(sp)";
            }
            case 3:
            {
                if (rd == 0) break;
                // uimm[5] in bit 12, uimm[4:3|8:6] in bits 6..2.
                uint imm = ((c >> 7) & 0x20) | ((c >> 2) & 0x18) | ((c << 4) & 0x1c0);
                return $"c.ldsp\t{Reg(rd)},{imm}(sp)";
            }
            case 4:
                if ((c & 0x1000) == 0)
                {
                    if (rs2 != 0) return $"c.mv\t{Reg(rd)},{Reg(rs2)}";
                    if (rd == 0) break;
                    return $"c.jr\t{Reg(rd)}";
                }
                if (rs2 != 0) return $"c.add\t{Reg(rd)},{Reg(rs2)}";
                return rd == 0 ? "c.ebreak" : $"c.jalr\t{Reg(rd)}";

            case 6:
            {
                // uimm[5:2|7:6] in bits 12..7.
                uint imm = ((c >> 7) & 0x3c) | ((c >> 1) & 0xc0);
                return $"c.swsp\t{Reg(rs2)},{imm}(sp)";
            }
            case 7:
            {
                // uimm[5:3|8:6] in bits 12..7.
                uint imm = ((c >> 7) & 0x38) | ((c >> 1) & 0x1c0);
                return $"c.sdsp\t{Reg(rs2)},{imm}(sp)";
            }
        }
        return Unknown16(h);
    }
}
