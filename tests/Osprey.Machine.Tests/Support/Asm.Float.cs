namespace Osprey.Machine.Tests.Support;

/// <summary>
/// The F and D encodings. Floating-point registers are plain numbers 0..31 here; which file
/// an operand names follows from the instruction, as in the specification. Rounding modes
/// are the rm field's values (<see cref="Dyn"/> = 7 reads frm); the encoder deliberately
/// accepts the reserved 5 and 6 so tests can check they trap.
/// </summary>
public static partial class Asm
{
    public const int Rne = 0, Rtz = 1, Rdn = 2, Rup = 3, Rmm = 4, Dyn = 7;

    public const int CsrFflags = 0x001, CsrFrm = 0x002, CsrFcsr = 0x003;

    // The accrued flags, as fflags holds them.
    public const uint NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;

    private static readonly Dictionary<string, (uint Funct5, int Funct3, int Rs2)> FloatOps = new()
    {
        // Funct3 -1: the rm field; Rs2 -1: a register operand.
        ["fadd"] = (0x00, -1, -1), ["fsub"] = (0x01, -1, -1), ["fmul"] = (0x02, -1, -1), ["fdiv"] = (0x03, -1, -1),
        ["fsqrt"] = (0x0B, -1, 0),
        ["fsgnj"] = (0x04, 0, -1), ["fsgnjn"] = (0x04, 1, -1), ["fsgnjx"] = (0x04, 2, -1),
        ["fmin"] = (0x05, 0, -1), ["fmax"] = (0x05, 1, -1),
        ["feq"] = (0x14, 2, -1), ["flt"] = (0x14, 1, -1), ["fle"] = (0x14, 0, -1),
        ["fclass"] = (0x1C, 1, 0),
    };

    private static readonly string[] IntegerWidths = ["w", "wu", "l", "lu"];

    public static uint Flw(int rd, int rs1, int offset) => IType(OpLoadFp, rd, 2, rs1, offset);
    public static uint Fld(int rd, int rs1, int offset) => IType(OpLoadFp, rd, 3, rs1, offset);
    public static uint Fsw(int rs1, int rs2, int offset) => SType(OpStoreFp, 2, rs1, rs2, offset);
    public static uint Fsd(int rs1, int rs2, int offset) => SType(OpStoreFp, 3, rs1, rs2, offset);

    /// <summary>An OP-FP instruction from its fields: funct7 is funct5 and the 2-bit format (0 S, 1 D, 2 H, 3 Q).</summary>
    public static uint FpType(uint funct5, uint format, int rd, int rs1, int rs2, int funct3) =>
        RType(OpFp, rd, (uint)funct3, rs1, rs2, (Bits(funct5, 5, nameof(funct5)) << 2) | Bits(format, 2, nameof(format)));

    /// <summary>The R4 format of the fused multiply-adds: rs3 in bits 31..27, the format in 26..25.</summary>
    public static uint R4Type(uint opcode, uint format, int rd, int rs1, int rs2, int rs3, int rm) =>
        RType(opcode, rd, (uint)rm, rs1, rs2, (Reg(rs3) << 2) | Bits(format, 2, nameof(format)));

    /// <summary>
    /// Any F or D computational instruction by its mnemonic ("fadd.d", "fcvt.wu.s", "fmv.x.w",
    /// "fnmsub.s", ...). Operands not used by the instruction (rs2 of fsqrt, rs3 outside the
    /// fused multiply-adds, rm where the instruction has no rm field) are ignored.
    /// </summary>
    public static uint Fp(string mnemonic, int rd, int rs1, int rs2 = 0, int rs3 = 0, int rm = Dyn)
    {
        string[] p = mnemonic.Split('.');
        switch (p[0])
        {
            case "fmadd": return R4Type(OpMadd, Format(p[1]), rd, rs1, rs2, rs3, rm);
            case "fmsub": return R4Type(OpMsub, Format(p[1]), rd, rs1, rs2, rs3, rm);
            case "fnmsub": return R4Type(OpNmsub, Format(p[1]), rd, rs1, rs2, rs3, rm);
            case "fnmadd": return R4Type(OpNmadd, Format(p[1]), rd, rs1, rs2, rs3, rm);
            case "fcvt" when IntegerWidths.Contains(p[1]):
                return FpType(0x18, Format(p[2]), rd, rs1, Array.IndexOf(IntegerWidths, p[1]), rm);
            case "fcvt" when IntegerWidths.Contains(p[2]):
                return FpType(0x1A, Format(p[1]), rd, rs1, Array.IndexOf(IntegerWidths, p[2]), rm);
            case "fcvt":
                return FpType(0x08, Format(p[1]), rd, rs1, (int)Format(p[2]), rm);
            case "fmv" when p[1] == "x":
                return FpType(0x1C, Format(p[2]), rd, rs1, 0, 0);
            case "fmv" when p[2] == "x":
                return FpType(0x1E, Format(p[1]), rd, rs1, 0, 0);
        }
        if (!FloatOps.TryGetValue(p[0], out var op) || p.Length != 2)
            throw new ArgumentException($"not an F/D mnemonic: {mnemonic}", nameof(mnemonic));
        return FpType(op.Funct5, Format(p[1]), rd, rs1, op.Rs2 >= 0 ? op.Rs2 : rs2, op.Funct3 >= 0 ? op.Funct3 : rm);
    }

    private static uint Format(string suffix) => suffix switch
    {
        "s" or "w" => 0,
        "d" => 1,
        "h" => 2,
        "q" => 3,
        _ => throw new ArgumentException($"not a floating-point format: {suffix}", nameof(suffix)),
    };

    public static uint Frflags(int rd) => Csrrs(rd, CsrFflags, Zero);
    public static uint Fsflags(int rd, int rs1) => Csrrw(rd, CsrFflags, rs1);
    public static uint Frrm(int rd) => Csrrs(rd, CsrFrm, Zero);
    public static uint Fsrm(int rd, int rs1) => Csrrw(rd, CsrFrm, rs1);
    public static uint Fsrmi(int rd, int mode) => Csrrwi(rd, CsrFrm, mode);
    public static uint Frcsr(int rd) => Csrrs(rd, CsrFcsr, Zero);
    public static uint Fscsr(int rd, int rs1) => Csrrw(rd, CsrFcsr, rs1);

    // ---- compressed loads and stores (RV64DC) ---------------------------------------------

    /// <summary>c.fld rd', offset(rs1'): both registers in 8..15, offset a multiple of 8 below 256.</summary>
    public static ushort CFld(int rd, int rs1, int offset) => CLoadStoreDouble(0b001, rd, rs1, offset);

    public static ushort CFsd(int rs1, int rs2, int offset) => CLoadStoreDouble(0b101, rs2, rs1, offset);

    /// <summary>c.fldsp rd, offset(sp): as c.ldsp, but any rd, f0 included.</summary>
    public static ushort CFldsp(int rd, int offset) => (ushort)((CLdsp(rd, offset) & ~(0b111 << 13)) | (0b001 << 13));

    public static ushort CFsdsp(int rs2, int offset) => (ushort)((CSdsp(rs2, offset) & ~(0b111 << 13)) | (0b101 << 13));
}
