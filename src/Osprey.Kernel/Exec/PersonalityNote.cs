using System.Buffers.Binary;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel.Exec;

/// <summary>
/// The ELF note by which a program says which personality's conventions it follows: in a
/// PT_NOTE segment, an entry named "Osprey" of type OSPREY_NOTE_PERSONALITY whose 4-byte
/// descriptor is PERSONALITY_XV6 or PERSONALITY_PEBBLES (abi/constants.tbl). Entries are the
/// ELF format's: name size, descriptor size and type as 32-bit words, then the name and the
/// descriptor, each padded to 4 bytes. A program without the note is an xv6 program.
/// </summary>
internal static class PersonalityNote
{
    /// <summary>The most bytes of notes read from one segment.</summary>
    private const int MaxNotes = 4096;

    private static ReadOnlySpan<byte> Owner => "Osprey\0"u8;

    /// <summary>The personality a note segment names, or null if it names none (or is malformed).</summary>
    public static Personality? Read(IExecutableFile file, ProgramHeader ph)
    {
        if (ph.FileSize == 0 || ph.FileSize > MaxNotes)
            return null;
        Span<byte> notes = stackalloc byte[(int)ph.FileSize];
        if (file.Read(ph.Offset, notes) != notes.Length)
            return null;
        while (notes.Length >= 12)
        {
            uint nameSize = BinaryPrimitives.ReadUInt32LittleEndian(notes);
            uint descSize = BinaryPrimitives.ReadUInt32LittleEndian(notes[4..]);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes[8..]);
            ulong nameEnd = 12 + Align(nameSize), end = nameEnd + Align(descSize);
            if (end > (ulong)notes.Length)
                return null;
            if (type == AbiConstants.OSPREY_NOTE_PERSONALITY && descSize == 4 && notes.Slice(12, (int)nameSize).SequenceEqual(Owner))
            {
                return BinaryPrimitives.ReadUInt32LittleEndian(notes[(int)nameEnd..]) switch
                {
                    AbiConstants.PERSONALITY_XV6 => Personality.Xv6,
                    AbiConstants.PERSONALITY_PEBBLES => Personality.Pebbles,
                    _ => null,
                };
            }
            notes = notes[(int)end..];
        }
        return null;
    }

    private static ulong Align(uint n) => ((ulong)n + 3) & ~3UL;
}
