namespace Osprey.Machine.Cpu;

/// <summary>
/// Operations of the interpreter after decoding. Compressed instructions decode to the base
/// operation they expand to, so the interpreter has one case per operation, not per encoding.
/// Kept dense and below 256 so the dispatch switch compiles to one jump table.
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
}
