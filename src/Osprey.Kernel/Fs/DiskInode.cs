using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// An inode as it lies on disk (xv6's struct dinode), 64 little-endian bytes:
/// <code>
///   0  short type     2  short major    4  short minor    6  short nlink
///   8  uint  size    12  uint addrs[13]: 12 direct block numbers, then the indirect block's
/// </code>
/// A block number of 0 means "no block" (block 0 is the boot block, never file data).
/// </summary>
public sealed class DiskInode
{
    public const int EncodedLength = FsLayout.DiskInodeSize;

    /// <summary>Index in <see cref="Addresses"/> of the indirect block's number.</summary>
    public const int IndirectSlot = FsLayout.DirectBlocks;

    public InodeType Type { get; set; }

    /// <summary>Device numbers, meaningful only for <see cref="InodeType.Device"/>.</summary>
    public short Major { get; set; }
    public short Minor { get; set; }

    /// <summary>Directory entries that name this inode.</summary>
    public short Nlink { get; set; }

    /// <summary>Bytes in the file.</summary>
    public uint Size { get; set; }

    /// <summary>The 12 direct block numbers and the indirect block's number.</summary>
    public uint[] Addresses { get; } = new uint[FsLayout.DirectBlocks + 1];

    public static DiskInode Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < EncodedLength)
            throw new ArgumentException($"an inode needs {EncodedLength} bytes, not {bytes.Length}", nameof(bytes));
        var inode = new DiskInode
        {
            Type = (InodeType)BinaryPrimitives.ReadInt16LittleEndian(bytes),
            Major = BinaryPrimitives.ReadInt16LittleEndian(bytes[2..]),
            Minor = BinaryPrimitives.ReadInt16LittleEndian(bytes[4..]),
            Nlink = BinaryPrimitives.ReadInt16LittleEndian(bytes[6..]),
            Size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
        };
        for (int i = 0; i < inode.Addresses.Length; i++)
            inode.Addresses[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(12 + 4 * i)..]);
        return inode;
    }

    public void WriteTo(Span<byte> bytes)
    {
        BinaryPrimitives.WriteInt16LittleEndian(bytes, (short)Type);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[2..], Major);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[4..], Minor);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[6..], Nlink);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Size);
        for (int i = 0; i < Addresses.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[(12 + 4 * i)..], Addresses[i]);
    }

    /// <summary>Where inode <paramref name="inum"/> lies inside its inode block.</summary>
    public static int OffsetInBlock(uint inum) => (int)(inum % FsLayout.InodesPerBlock) * EncodedLength;
}
