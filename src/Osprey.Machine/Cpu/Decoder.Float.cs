namespace Osprey.Machine.Cpu;

/// <summary>
/// The F and D encodings. An f register n is named FloatBase + n, so an f destination is
/// never the x0 sink. Operations that round carry the instruction bits in Imm (the hart reads
/// rm and rs3 from them); a static rm of 5 or 6 is reserved and illegal here, while rm = 7
/// (dynamic) is checked against frm each time the instruction runs.
/// </summary>
internal static partial class Decoder
{
    /// <summary>Where f0 sits in the hart's register array, after x0..x31 and the sink.</summary>
    public const byte FloatBase = 33;

    public const int CsrFflags = 0x001;
    public const int CsrFrm = 0x002;
    public const int CsrFcsr = 0x003;

    /// <summary>The rm field's "use frm" value.</summary>
    public const uint DynamicRounding = 7;

    public static bool HasRoundingMode(Op op) => op >= Op.FmaddS && op <= Op.FcvtDS;

    private static byte Float(byte register) => (byte)(FloatBase + register);

    private static bool IsReservedRoundingMode(uint rm) => rm is 5 or 6;

    private static DecodedInst DecodeLoadFloat(uint b, byte rd, byte rs1, uint funct3, int imm) => funct3 switch
    {
        2 => R(Op.Flw, Float(rd), rs1, 0, imm),
        3 => R(Op.Fld, Float(rd), rs1, 0, imm),
        _ => Illegal(b, 4),
    };

    private static DecodedInst DecodeStoreFloat(uint b, byte rs1, byte rs2, uint funct3)
    {
        int imm = ((int)(b & 0xFE000000) >> 20) | (int)((b >> 7) & 31);
        return funct3 switch
        {
            2 => Branch(Op.Fsw, rs1, Float(rs2), imm),
            3 => Branch(Op.Fsd, rs1, Float(rs2), imm),
            _ => Illegal(b, 4),
        };
    }

    private static DecodedInst DecodeFusedMultiplyAdd(uint b, byte rd, byte rs1, byte rs2, uint rm)
    {
        uint format = (b >> 25) & 3;
        if (format > 1 || IsReservedRoundingMode(rm))
            return Illegal(b, 4);
        bool d = format == 1;
        Op op = (b & 0x7F) switch
        {
            0x43 => d ? Op.FmaddD : Op.FmaddS,
            0x47 => d ? Op.FmsubD : Op.FmsubS,
            0x4B => d ? Op.FnmsubD : Op.FnmsubS,
            _ => d ? Op.FnmaddD : Op.FnmaddS,
        };
        return Fp(op, Float(rd), Float(rs1), Float(rs2), b);
    }

    private static DecodedInst DecodeOpFloat(uint b, byte rd, byte rs1, byte rs2, uint funct3, uint funct7)
    {
        uint format = funct7 & 3;
        if (format > 1)
            return Illegal(b, 4); // H and Q
        bool d = format == 1;
        byte fd = Float(rd), fs1 = Float(rs1), fs2 = Float(rs2);
        switch (funct7 >> 2)
        {
            case 0x00: return Rounded(d ? Op.FaddD : Op.FaddS, fd, fs1, fs2);
            case 0x01: return Rounded(d ? Op.FsubD : Op.FsubS, fd, fs1, fs2);
            case 0x02: return Rounded(d ? Op.FmulD : Op.FmulS, fd, fs1, fs2);
            case 0x03: return Rounded(d ? Op.FdivD : Op.FdivS, fd, fs1, fs2);
            case 0x0B: return rs2 == 0 ? Rounded(d ? Op.FsqrtD : Op.FsqrtS, fd, fs1, 0) : Illegal(b, 4);
            case 0x04:
                return funct3 switch
                {
                    0 => Fp(d ? Op.FsgnjD : Op.FsgnjS, fd, fs1, fs2, b),
                    1 => Fp(d ? Op.FsgnjnD : Op.FsgnjnS, fd, fs1, fs2, b),
                    2 => Fp(d ? Op.FsgnjxD : Op.FsgnjxS, fd, fs1, fs2, b),
                    _ => Illegal(b, 4),
                };
            case 0x05:
                return funct3 switch
                {
                    0 => Fp(d ? Op.FminD : Op.FminS, fd, fs1, fs2, b),
                    1 => Fp(d ? Op.FmaxD : Op.FmaxS, fd, fs1, fs2, b),
                    _ => Illegal(b, 4),
                };
            case 0x08:
                // fcvt.s.d (format S, source D: rs2 = 1) and fcvt.d.s (format D, rs2 = 0).
                if (rs2 == (d ? 0 : 1))
                    return Rounded(d ? Op.FcvtDS : Op.FcvtSD, fd, fs1, 0);
                return Illegal(b, 4);
            case 0x14:
                {
                    Op op = funct3 switch
                    {
                        2 => d ? Op.FeqD : Op.FeqS,
                        1 => d ? Op.FltD : Op.FltS,
                        0 => d ? Op.FleD : Op.FleS,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal(b, 4) : Fp(op, Dest(rd), fs1, fs2, b);
                }
            case 0x18:
                {
                    Op op = rs2 switch
                    {
                        0 => d ? Op.FcvtWD : Op.FcvtWS,
                        1 => d ? Op.FcvtWuD : Op.FcvtWuS,
                        2 => d ? Op.FcvtLD : Op.FcvtLS,
                        3 => d ? Op.FcvtLuD : Op.FcvtLuS,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal(b, 4) : Rounded(op, Dest(rd), fs1, 0);
                }
            case 0x1A:
                {
                    Op op = rs2 switch
                    {
                        0 => d ? Op.FcvtDW : Op.FcvtSW,
                        1 => d ? Op.FcvtDWu : Op.FcvtSWu,
                        2 => d ? Op.FcvtDL : Op.FcvtSL,
                        3 => d ? Op.FcvtDLu : Op.FcvtSLu,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal(b, 4) : Rounded(op, fd, rs1, 0);
                }
            case 0x1C when rs2 == 0 && funct3 == 0:
                return Fp(d ? Op.FmvXD : Op.FmvXW, Dest(rd), fs1, 0, b);
            case 0x1C when rs2 == 0 && funct3 == 1:
                return Fp(d ? Op.FclassD : Op.FclassS, Dest(rd), fs1, 0, b);
            case 0x1E when rs2 == 0 && funct3 == 0:
                return Fp(d ? Op.FmvDX : Op.FmvWX, fd, rs1, 0, b);
            default:
                return Illegal(b, 4);
        }

        DecodedInst Rounded(Op op, byte dest, byte src1, byte src2) =>
            IsReservedRoundingMode(funct3) ? Illegal(b, 4) : Fp(op, dest, src1, src2, b);
    }

    /// <summary>An F/D operation: registers already mapped to their files, the instruction bits in Imm.</summary>
    private static DecodedInst Fp(Op op, byte rd, byte rs1, byte rs2, uint bits) =>
        new() { Op = op, Rd = rd, Rs1 = rs1, Rs2 = rs2, Imm = (int)bits, Length = 4 };
}
