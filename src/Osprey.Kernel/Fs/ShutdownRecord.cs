using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// Whether a file system was shut down cleanly, recorded in the superblock's block after the
/// eight words xv6 defines: bytes 32..39 of block 1 hold <see cref="Magic"/> and the
/// <see cref="FileSystemState"/>. xv6 reads only the first 32 bytes of block 1 and never
/// writes it, and its mkfs leaves the rest zero, so an image with the record is still an xv6
/// image, and one without it (made by xv6's mkfs) simply has no record.
///
/// Osprey's mkfs writes <see cref="FileSystemState.Clean"/>; the kernel writes
/// <see cref="FileSystemState.Mounted"/> when it mounts a writable disk, and Clean again only at
/// a clean halt (<see cref="FileSystem.Unmount"/>: no operation in progress, none admitted, and
/// no unlinked inode still referenced). After a crash, a panic or a power-off the record says
/// Mounted. fsck uses it to tell a leak from a crash orphan: an unnamed inode with link count 0
/// is an orphan the next boot frees when the machine stopped while it was open, but on a
/// cleanly shut down image nothing held it, so it leaked.
///
/// One limit: an image last used by xv6's kernel keeps whatever record Osprey left on it.
/// </summary>
public static class ShutdownRecord
{
    /// <summary>"OSPY" in little-endian ASCII: the words after it are Osprey's record.</summary>
    public const uint Magic = 0x5950534f;

    /// <summary>Where the record lies in block 1: right after xv6's superblock.</summary>
    public const int Offset = Superblock.EncodedLength;

    public const int EncodedLength = 2 * sizeof(uint);

    /// <summary>The state recorded in <paramref name="superblockBlock"/> (block 1's bytes).</summary>
    public static FileSystemState Read(ReadOnlySpan<byte> superblockBlock)
    {
        ReadOnlySpan<byte> record = superblockBlock.Slice(Offset, EncodedLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Magic)
            return FileSystemState.Unrecorded;
        uint state = BinaryPrimitives.ReadUInt32LittleEndian(record[sizeof(uint)..]);
        return state is (uint)FileSystemState.Mounted or (uint)FileSystemState.Clean
            ? (FileSystemState)state
            : FileSystemState.Unrecorded;
    }

    /// <summary>Writes <paramref name="state"/> into <paramref name="superblockBlock"/>, leaving xv6's words alone.</summary>
    public static void Write(Span<byte> superblockBlock, FileSystemState state)
    {
        Span<byte> record = superblockBlock.Slice(Offset, EncodedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record, state == FileSystemState.Unrecorded ? 0 : Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record[sizeof(uint)..], (uint)state);
    }
}
