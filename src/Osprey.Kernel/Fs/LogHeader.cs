using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// The log's header block (block LogStart): an int32 count, then that many uint32 home block
/// numbers; logged block i lies at LogStart+1+i. A count above zero is a committed transaction.
/// The kernel's log writes and recovers it; fsck reads it to check an image as it will be
/// after recovery.
/// </summary>
public static class LogHeader
{
    /// <summary>Blocks the log can hold: its data blocks, and no more than one header block can name.</summary>
    public static int Capacity(Superblock sb) =>
        (int)Math.Min(sb.LogBlocks - 1, (FsLayout.BlockSize - sizeof(uint)) / sizeof(uint));

    /// <summary>
    /// The home blocks a header names (empty when nothing is committed), or null with the
    /// reason in <paramref name="problem"/> when no kernel could install it: a count the log
    /// cannot hold, or a home outside the inode, bitmap and data blocks.
    /// </summary>
    public static uint[]? Read(ReadOnlySpan<byte> header, Superblock sb, out string? problem)
    {
        problem = null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(header);
        int capacity = Capacity(sb);
        if (count < 0 || count > capacity)
        {
            problem = $"the header says {count} blocks, but the log holds at most {capacity}";
            return null;
        }
        var homes = new uint[count];
        for (int i = 0; i < count; i++)
        {
            homes[i] = BinaryPrimitives.ReadUInt32LittleEndian(header[(sizeof(uint) * (1 + i))..]);
            if (homes[i] < sb.InodeStart || homes[i] >= sb.Size)
            {
                problem = $"entry {i} names block {homes[i]}, outside the inode, bitmap and data blocks {sb.InodeStart}..{sb.Size - 1}";
                return null;
            }
        }
        return homes;
    }

    /// <summary>Fills a header block naming <paramref name="homes"/> (none: the empty log).</summary>
    public static void Write(Span<byte> header, ReadOnlySpan<uint> homes)
    {
        header.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(header, homes.Length);
        for (int i = 0; i < homes.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(header[(sizeof(uint) * (1 + i))..], homes[i]);
    }
}
