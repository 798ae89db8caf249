using static Osprey.Machine.Disasm.Operands;

namespace Osprey.Machine.Disasm;

/// <summary>
/// Disassembles 32-bit RV64IMAFD + Zicsr + Zifencei instructions (F and D in
/// <see cref="FloatDecoder"/>), plus the privileged ones objdump knows without extra
/// extensions (mret, sret, uret, dret, wfi, sfence.vma, and the pre-1.10 hret and sfence.vm).
/// Anything else prints as <c>.4byte</c>, exactly as objdump does for an rv64gc object.
/// Signed immediates are formatted with <see cref="Operands.Invariant"/>.
/// </summary>
internal static class BaseDecoder
{
    private static readonly string[] Branches = ["beq", "bne", "", "", "blt", "bge", "bltu", "bgeu"];
    private static readonly string[] Loads = ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", ""];
    private static readonly string[] Stores = ["sb", "sh", "sw", "sd", "", "", "", ""];
    private static readonly string[] ImmOps = ["addi", "", "slti", "sltiu", "xori", "", "ori", "andi"];
    private static readonly string[] RegOps = ["add", "sll", "slt", "sltu", "xor", "srl", "or", "and"];
    private static readonly string[] MulOps = ["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"];
    private static readonly string[] MulWordOps = ["mulw", "", "", "", "divw", "divuw", "remw", "remuw"];
    private static readonly string[] CsrOps = ["", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci"];

    // Indexed by funct5 (bits 31:27) of an AMO; lr and sc are handled separately because
    // their operand lists differ.
    private static readonly string[] AmoOps =
    [
        "amoadd", "amoswap", "", "", "amoxor", "", "", "",
        "amoor", "", "", "", "amoand", "", "", "",
        "amomin", "", "", "", "amomax", "", "", "",
        "amominu", "", "", "", "amomaxu", "", "", "",
    ];

    // Indexed by the aq (bit 1) and rl (bit 0) bits.
    private static readonly string[] Ordering = ["", ".rl", ".aq", ".aqrl"];

    public static string Decode(uint w, ulong pc)
    {
        uint rd = (w >> 7) & 31;
        uint funct3 = (w >> 12) & 7;
        uint rs1 = (w >> 15) & 31;
        uint rs2 = (w >> 20) & 31;
        uint funct7 = w >> 25;
        int immI = (int)w >> 20;

        switch (w & 0x7f)
        {
            case 0x37:
                return $"lui\t{Reg(rd)},0x{w >> 12:x}";

            case 0x17:
                return $"auipc\t{Reg(rd)},0x{w >> 12:x}";

            case 0x6f:
            {
                // J-type: imm[20|10:1|11|19:12] in bits 31..12.
                int imm = (((int)w >> 11) & ~0xfffff)
                          | (int)(w & 0xff000)
                          | (int)((w >> 9) & 0x800)
                          | (int)((w >> 20) & 0x7fe);
                return $"jal\t{Reg(rd)},0x{Target(pc, imm):x}";
            }

            case 0x67:
                if (funct3 != 0) break;
                return string.Create(Invariant, $"jalr\t{Reg(rd)},{immI}({Reg(rs1)})");

            case 0x63:
            {
                string name = Branches[funct3];
                if (name.Length == 0) break;
                // B-type: imm[12|10:5] in bits 31..25, imm[4:1|11] in bits 11..7.
                int imm = (((int)w >> 19) & ~0xfff)
                          | (int)((w << 4) & 0x800)
                          | (int)((w >> 20) & 0x7e0)
                          | (int)((w >> 7) & 0x1e);
                return $"{name}\t{Reg(rs1)},{Reg(rs2)},0x{Target(pc, imm):x}";
            }

            case 0x03:
            {
                string name = Loads[funct3];
                if (name.Length == 0) break;
                return string.Create(Invariant, $"{name}\t{Reg(rd)},{immI}({Reg(rs1)})");
            }

            case 0x23:
            {
                string name = Stores[funct3];
                if (name.Length == 0) break;
                int imm = (((int)w >> 20) & ~0x1f) | (int)rd;
                return string.Create(Invariant, $"{name}\t{Reg(rs2)},{imm}({Reg(rs1)})");
            }

            case 0x13:
                return OpImm(w, rd, funct3, rs1, immI);

            case 0x1b:
                return OpImmWord(w, rd, funct3, rs1, funct7, immI);

            case 0x33:
            {
                string name = funct7 switch
                {
                    0x00 => RegOps[funct3],
                    0x01 => MulOps[funct3],
                    0x20 => funct3 switch { 0 => "sub", 5 => "sra", _ => "" },
                    _ => "",
                };
                if (name.Length == 0) break;
                return $"{name}\t{Reg(rd)},{Reg(rs1)},{Reg(rs2)}";
            }

            case 0x3b:
            {
                string name = funct7 switch
                {
                    0x00 => funct3 switch { 0 => "addw", 1 => "sllw", 5 => "srlw", _ => "" },
                    0x01 => MulWordOps[funct3],
                    0x20 => funct3 switch { 0 => "subw", 5 => "sraw", _ => "" },
                    _ => "",
                };
                if (name.Length == 0) break;
                return $"{name}\t{Reg(rd)},{Reg(rs1)},{Reg(rs2)}";
            }

            case 0x0f:
                return MiscMem(w, funct3);

            case 0x73:
                return SystemOp(w, rd, funct3, rs1, rs2, funct7);

            case 0x2f:
                return Atomic(w, rd, funct3, rs1, rs2);

            case 0x07:
            case 0x27:
            case 0x43:
            case 0x47:
            case 0x4b:
            case 0x4f:
            case 0x53:
                return FloatDecoder.Decode(w);
        }
        return Unknown32(w);
    }

    private static string OpImm(uint w, uint rd, uint funct3, uint rs1, int immI)
    {
        // RV64 shifts take a 6-bit amount, so only bits 31..26 select the operation.
        uint shamt = (w >> 20) & 63;
        string name = funct3 switch
        {
            1 => (w >> 26) == 0 ? "slli" : "",
            5 => (w >> 26) switch { 0x00 => "srli", 0x10 => "srai", _ => "" },
            _ => ImmOps[funct3],
        };
        if (name.Length == 0) return Unknown32(w);
        return funct3 is 1 or 5
            ? $"{name}\t{Reg(rd)},{Reg(rs1)},0x{shamt:x}"
            : string.Create(Invariant, $"{name}\t{Reg(rd)},{Reg(rs1)},{immI}");
    }

    private static string OpImmWord(uint w, uint rd, uint funct3, uint rs1, uint funct7, int immI)
    {
        if (funct3 == 0) return string.Create(Invariant, $"addiw\t{Reg(rd)},{Reg(rs1)},{immI}");
        string name = funct3 switch
        {
            1 => funct7 == 0 ? "slliw" : "",
            5 => funct7 switch { 0x00 => "srliw", 0x20 => "sraiw", _ => "" },
            _ => "",
        };
        if (name.Length == 0) return Unknown32(w);
        return $"{name}\t{Reg(rd)},{Reg(rs1)},0x{(w >> 20) & 31:x}";
    }

    private static string MiscMem(uint w, uint funct3)
    {
        // objdump accepts only the fully specified forms: a plain fence needs fm, rs1 and rd
        // all zero, fence.tso is one exact word, and fence.i needs every other field zero.
        if (funct3 == 0)
        {
            if (w == 0x8330000f) return "fence.tso";
            if ((w & 0xf00fff80) == 0)
                return $"fence\t{FenceSet(w >> 24)},{FenceSet(w >> 20)}";
        }
        else if (funct3 == 1 && w == 0x0000100f)
        {
            return "fence.i";
        }
        return Unknown32(w);
    }

    private static string SystemOp(uint w, uint rd, uint funct3, uint rs1, uint rs2, uint funct7)
    {
        if (funct3 == 0)
        {
            switch (w)
            {
                case 0x00000073: return "ecall";
                case 0x00100073: return "ebreak";
                case 0x00200073: return "uret";
                case 0x10200073: return "sret";
                case 0x30200073: return "mret";
                case 0x7b200073: return "dret";
                case 0x10500073: return "wfi";
                // From privileged-spec drafts before 1.10; objdump still decodes them.
                case 0x20200073: return "hret";
                case 0x10400073: return "sfence.vm";
            }
            if (funct7 == 0x09 && rd == 0)
                return $"sfence.vma\t{Reg(rs1)},{Reg(rs2)}";
            if ((w & 0xfff07fff) == 0x10400073)
                return $"sfence.vm\t{Reg(rs1)}";
            return Unknown32(w);
        }

        // objdump treats the canonical 32-bit unimp (csrrw zero,cycle,zero, a write to a
        // read-only CSR and so always illegal) as an instruction of its own, not an alias.
        if (w == 0xc0001073) return "unimp";

        string name = CsrOps[funct3];
        if (name.Length == 0) return Unknown32(w);
        string csr = CsrNames.Format(w >> 20);
        // The immediate forms put a 5-bit unsigned value where rs1 would be.
        return funct3 >= 5
            ? $"{name}\t{Reg(rd)},{csr},{rs1}"
            : $"{name}\t{Reg(rd)},{csr},{Reg(rs1)}";
    }

    private static string Atomic(uint w, uint rd, uint funct3, uint rs1, uint rs2)
    {
        string width = funct3 switch { 2 => ".w", 3 => ".d", _ => "" };
        if (width.Length == 0) return Unknown32(w);
        uint funct5 = w >> 27;
        string order = Ordering[(w >> 25) & 3];

        if (funct5 == 0x02)
        {
            if (rs2 != 0) return Unknown32(w);
            return $"lr{width}{order}\t{Reg(rd)},({Reg(rs1)})";
        }
        string name = funct5 == 0x03 ? "sc" : AmoOps[funct5];
        if (name.Length == 0) return Unknown32(w);
        return $"{name}{width}{order}\t{Reg(rd)},{Reg(rs2)},({Reg(rs1)})";
    }
}
