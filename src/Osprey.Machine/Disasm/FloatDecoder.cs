using static Osprey.Machine.Disasm.Operands;

namespace Osprey.Machine.Disasm;

/// <summary>
/// Disassembles the 32-bit F and D instructions as objdump 2.40 does for an rv64gc object: the
/// rounding mode is printed after the operands unless it is dyn, the reserved modes 5 and 6
/// print as "unknown", and the conversions that are always exact (fcvt.d.s, fcvt.d.w,
/// fcvt.d.wu) are only recognised with rm = 0 (objdump prints any other as .4byte, though the
/// hart runs them).
/// </summary>
internal static class FloatDecoder
{
    private static readonly string[] Width = ["w", "wu", "l", "lu"];

    public static string Decode(uint w)
    {
        uint rd = (w >> 7) & 31;
        uint rm = (w >> 12) & 7;
        uint rs1 = (w >> 15) & 31;
        uint rs2 = (w >> 20) & 31;
        uint format = (w >> 25) & 3;
        int immI = (int)w >> 20;
        switch (w & 0x7f)
        {
            case 0x07:
                if (rm is not (2 or 3)) break;
                return string.Create(Invariant, $"{(rm == 2 ? "flw" : "fld")}\t{FloatReg(rd)},{immI}({Reg(rs1)})");
            case 0x27:
            {
                if (rm is not (2 or 3)) break;
                int imm = (((int)w >> 20) & ~0x1f) | (int)rd;
                return string.Create(Invariant, $"{(rm == 2 ? "fsw" : "fsd")}\t{FloatReg(rs2)},{imm}({Reg(rs1)})");
            }
            case 0x43:
            case 0x47:
            case 0x4b:
            case 0x4f:
            {
                if (format > 1) break;
                string name = (w & 0x7f) switch { 0x43 => "fmadd", 0x47 => "fmsub", 0x4b => "fnmsub", _ => "fnmadd" };
                return $"{name}.{Suffix(format)}\t{FloatReg(rd)},{FloatReg(rs1)},{FloatReg(rs2)},{FloatReg(w >> 27)}{RoundingMode(rm)}";
            }
            case 0x53:
                if (format > 1) break;
                return OpFp(w >> 27, format, rd, rm, rs1, rs2) ?? Unknown32(w);
        }
        return Unknown32(w);
    }

    private static string? OpFp(uint funct5, uint format, uint rd, uint rm, uint rs1, uint rs2)
    {
        string f = Suffix(format);
        string fd = FloatReg(rd), fs1 = FloatReg(rs1), fs2 = FloatReg(rs2);
        switch (funct5)
        {
            case 0x00: return $"fadd.{f}\t{fd},{fs1},{fs2}{RoundingMode(rm)}";
            case 0x01: return $"fsub.{f}\t{fd},{fs1},{fs2}{RoundingMode(rm)}";
            case 0x02: return $"fmul.{f}\t{fd},{fs1},{fs2}{RoundingMode(rm)}";
            case 0x03: return $"fdiv.{f}\t{fd},{fs1},{fs2}{RoundingMode(rm)}";
            case 0x0b: return rs2 == 0 ? $"fsqrt.{f}\t{fd},{fs1}{RoundingMode(rm)}" : null;
            case 0x04:
                return rm switch
                {
                    0 => $"fsgnj.{f}\t{fd},{fs1},{fs2}",
                    1 => $"fsgnjn.{f}\t{fd},{fs1},{fs2}",
                    2 => $"fsgnjx.{f}\t{fd},{fs1},{fs2}",
                    _ => null,
                };
            case 0x05:
                return rm switch
                {
                    0 => $"fmin.{f}\t{fd},{fs1},{fs2}",
                    1 => $"fmax.{f}\t{fd},{fs1},{fs2}",
                    _ => null,
                };
            case 0x08:
                if (format == 0 && rs2 == 1) return $"fcvt.s.d\t{fd},{fs1}{RoundingMode(rm)}";
                if (format == 1 && rs2 == 0 && rm == 0) return $"fcvt.d.s\t{fd},{fs1}";
                return null;
            case 0x14:
                return rm switch
                {
                    0 => $"fle.{f}\t{Reg(rd)},{fs1},{fs2}",
                    1 => $"flt.{f}\t{Reg(rd)},{fs1},{fs2}",
                    2 => $"feq.{f}\t{Reg(rd)},{fs1},{fs2}",
                    _ => null,
                };
            case 0x18:
                return rs2 < 4 ? $"fcvt.{Width[rs2]}.{f}\t{Reg(rd)},{fs1}{RoundingMode(rm)}" : null;
            case 0x1a:
                if (rs2 >= 4) return null;
                if (format == 1 && rs2 < 2)
                    return rm == 0 ? $"fcvt.d.{Width[rs2]}\t{fd},{Reg(rs1)}" : null;
                return $"fcvt.{f}.{Width[rs2]}\t{fd},{Reg(rs1)}{RoundingMode(rm)}";
            case 0x1c when rs2 == 0 && rm == 0:
                return $"fmv.x.{(format == 0 ? "w" : "d")}\t{Reg(rd)},{fs1}";
            case 0x1c when rs2 == 0 && rm == 1:
                return $"fclass.{f}\t{Reg(rd)},{fs1}";
            case 0x1e when rs2 == 0 && rm == 0:
                return $"fmv.{(format == 0 ? "w" : "d")}.x\t{fd},{Reg(rs1)}";
        }
        return null;
    }

    private static string Suffix(uint format) => format == 0 ? "s" : "d";
}
