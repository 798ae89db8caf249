namespace Osprey.Machine.Cpu;

/// <summary>
/// Operations of the interpreter after decoding. Compressed instructions decode to the base
/// operation they expand to, so the interpreter has one case per operation, not per encoding.
/// Kept dense and below 256 so the dispatch switch compiles to one jump table.
///
/// F and D operations name floating-point registers as <see cref="Decoder.FloatBase"/> + n in
/// the register fields (the hart keeps x and f registers in one array), so an operand's
/// field says which file it is in and no case needs to know.
/// </summary>
internal enum Op : byte
{
    NotDecoded = 0,
    Illegal,
    CrossPage,

    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
    Sb, Sh, Sw, Sd,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Addiw, Slliw, Srliw, Sraiw, Addw, Subw, Sllw, Srlw, Sraw,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Mulw, Divw, Divuw, Remw, Remuw,
    LrW, ScW, AmoSwapW, AmoAddW, AmoXorW, AmoAndW, AmoOrW, AmoMinW, AmoMaxW, AmoMinuW, AmoMaxuW,
    LrD, ScD, AmoSwapD, AmoAddD, AmoXorD, AmoAndD, AmoOrD, AmoMinD, AmoMaxD, AmoMinuD, AmoMaxuD,
    Fence, FenceI, Ecall, Ebreak,

    /// <summary>A read of cycle, time or instret; writes to them are illegal and decode as such.</summary>
    CsrRead,

    // ---- F and D -------------------------------------------------------------------------

    // Loads and stores: Rd (loads) or Rs2 (stores) is an f register. fld, fsw and fsd move the
    // same bits as ld, sw and sd; flw also NaN-boxes what it loads.
    Flw, Fld, Fsw, Fsd,

    /// <summary>
    /// Any CSR instruction on fflags, frm or fcsr, the CSRs user mode may write. Rs1 is the
    /// source register, or the 5-bit immediate for the I forms; Imm is csr | funct3 &lt;&lt; 12.
    /// </summary>
    CsrFloat,

    // Operations with a rounding-mode field. Imm holds the instruction bits: rm is bits 14..12
    // (7 means frm, read when the instruction runs), rs3 bits 31..27, and the bits are stval
    // if the mode turns out to be invalid. Kept together so "has a rounding mode" is a range test.
    FmaddS, FmsubS, FnmsubS, FnmaddS, FaddS, FsubS, FmulS, FdivS, FsqrtS,
    FcvtWS, FcvtWuS, FcvtLS, FcvtLuS, FcvtSW, FcvtSWu, FcvtSL, FcvtSLu,
    FmaddD, FmsubD, FnmsubD, FnmaddD, FaddD, FsubD, FmulD, FdivD, FsqrtD,
    FcvtWD, FcvtWuD, FcvtLD, FcvtLuD, FcvtDW, FcvtDWu, FcvtDL, FcvtDLu,
    FcvtSD, FcvtDS,

    // Operations without one.
    FsgnjS, FsgnjnS, FsgnjxS, FminS, FmaxS, FeqS, FltS, FleS, FclassS, FmvXW, FmvWX,
    FsgnjD, FsgnjnD, FsgnjxD, FminD, FmaxD, FeqD, FltD, FleD, FclassD, FmvXD, FmvDX,
}
