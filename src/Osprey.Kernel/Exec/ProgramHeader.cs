using System.Buffers.Binary;

namespace Osprey.Kernel.Exec;

/// <summary>An ELF64 program header: exec loads the PT_LOAD ones and reads the PT_NOTE ones.</summary>
internal readonly record struct ProgramHeader(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize)
{
    public const int Size = 56;
    public const uint Load = 1;
    public const uint Note = 4;
    public const uint FlagExecute = 1, FlagWrite = 2;

    public static ProgramHeader Parse(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(b),
        BinaryPrimitives.ReadUInt32LittleEndian(b[4..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[40..]));
}
