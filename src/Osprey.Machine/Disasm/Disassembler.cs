namespace Osprey.Machine.Disasm;

/// <summary>
/// Turns RV64GC (IMAFDC + Zicsr + Zifencei) instructions into the text
/// <c>riscv64-unknown-elf-objdump -d -M no-aliases</c> prints after the bytes column, so a
/// trace from the emulator reads like objdump and the two can be compared line by line
/// (the tests under tests/Osprey.Machine.Tests/Disasm do exactly that).
/// </summary>
/// <remarks>
/// Differences from objdump, all because a lone instruction word carries no context:
/// pc-relative targets are printed as "0x" + the absolute address without objdump's
/// " &lt;symbol+offset&gt;" suffix (objdump prints the same "0x..." form when it has no symbols),
/// and objdump's " # address" comments, which it works out by remembering earlier lui/auipc
/// results, are never printed. Words that are not instructions of this ISA print as
/// <c>.4byte 0x...</c> or <c>.2byte 0x...</c>, as objdump does.
/// </remarks>
public static class Disassembler
{
    /// <summary>
    /// The length in bytes of the instruction whose first 16-bit parcel is <paramref name="lowHalf"/>:
    /// 2 when the low two bits are not 0b11 (the C extension), otherwise 4.
    /// </summary>
    public static int InstructionLength(ushort lowHalf) => (lowHalf & 0b11) == 0b11 ? 4 : 2;

    /// <summary>
    /// The objdump text of the instruction in <paramref name="bits"/> located at <paramref name="pc"/>,
    /// e.g. "addi\ta0,a0,1" or "beq\ta0,a1,0x1c". For a compressed instruction only the low 16 bits
    /// are used. A 32-bit word whose low five bits are all ones belongs to a longer instruction
    /// encoding (48 bits or more), which this ISA has none of, and prints as <c>.4byte</c>.
    /// </summary>
    public static string Disassemble(uint bits, ulong pc)
    {
        if ((bits & 0b11) != 0b11)
            return CompressedDecoder.Decode((ushort)bits, pc);
        if ((bits & 0b11111) == 0b11111)
            return Operands.Unknown32(bits);
        return BaseDecoder.Decode(bits, pc);
    }
}
