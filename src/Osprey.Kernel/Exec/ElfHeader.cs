using System.Buffers.Binary;

namespace Osprey.Kernel.Exec;

/// <summary>The fields of an ELF64 file header exec needs (little-endian RISC-V).</summary>
internal readonly record struct ElfHeader(ulong Entry, ulong ProgramHeaderOffset, ushort ProgramHeaderSize, ushort ProgramHeaderCount)
{
    public const int Size = 64;
    private const uint Magic = 0x464C457F; // "\x7fELF"

    public static bool TryParse(ReadOnlySpan<byte> bytes, out ElfHeader header)
    {
        header = default;
        if (bytes.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            return false;
        if (bytes[4] != 2 || bytes[5] != 1 || BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]) != 243)
            return false; // not 64-bit, little-endian RISC-V
        header = new ElfHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[32..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[54..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[56..]));
        return header.ProgramHeaderSize >= ProgramHeader.Size;
    }
}
