using System.Buffers.Binary;

namespace Osprey.Emulation;

/// <summary>
/// A parsed static RV64 executable: its entry point and loadable segments, checked against
/// the file so that no segment reaches outside it. Only what a loader needs; relocations,
/// dynamic linking and PIE are rejected.
/// </summary>
public sealed class ElfImage
{
    private const ushort MachineRiscV = 243;
    private const ushort TypeExecutable = 2;
    private const uint ProgramLoad = 1;

    private ElfImage(ulong entry, IReadOnlyList<ElfSegment> segments)
    {
        Entry = entry;
        Segments = segments;
    }

    public ulong Entry { get; }

    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>Parses <paramref name="file"/>; throws <see cref="FormatException"/> with a one-line reason if it is not a static RV64 executable.</summary>
    public static ElfImage Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 64 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw new FormatException("not an ELF file");
        if (file[4] != 2 || file[5] != 1)
            throw new FormatException("not a 64-bit little-endian ELF file");
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        if (machine != MachineRiscV)
            throw new FormatException($"ELF machine {machine} is not RISC-V (243)");
        if (type != TypeExecutable)
            throw new FormatException($"ELF type {type} is not a static executable (ET_EXEC)");

        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(file[24..]);
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(file[32..]);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[54..]);
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(file[56..]);
        if (phnum > 0 && (phentsize < 56 || phoff > (ulong)file.Length || (ulong)phnum * phentsize > (ulong)file.Length - phoff))
            throw new FormatException("program headers lie outside the file");

        var segments = new List<ElfSegment>();
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = file.Slice((int)phoff + i * phentsize, 56);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != ProgramLoad)
                continue;
            var segment = new ElfSegment(
                Flags: BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]),
                FileOffset: BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]),
                MemorySize: BinaryPrimitives.ReadUInt64LittleEndian(ph[40..]));
            Validate(segment, file.Length, i);
            if (segment.MemorySize > 0)
                segments.Add(segment);
        }
        if (segments.Count == 0)
            throw new FormatException("no loadable segments");
        return new ElfImage(entry, segments);
    }

    private static void Validate(ElfSegment s, int fileLength, int index)
    {
        if (s.FileSize > s.MemorySize)
            throw new FormatException($"segment {index}: file size exceeds memory size");
        if (s.FileOffset > (ulong)fileLength || s.FileSize > (ulong)fileLength - s.FileOffset)
            throw new FormatException($"segment {index}: contents lie outside the file");
        if (s.VirtualAddress + s.MemorySize < s.VirtualAddress)
            throw new FormatException($"segment {index}: address range wraps around");
    }
}
