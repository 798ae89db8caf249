using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// Block 1 of the disk: eight little-endian uint32s saying how big the file system is and
/// where each region starts. mkfs writes it; the kernel reads it once at mount and never
/// changes it. The xv6 field names are given with each property.
/// </summary>
public sealed record Superblock
{
    /// <summary>Bytes the superblock occupies at the start of its block.</summary>
    public const int EncodedLength = 8 * sizeof(uint);

    /// <summary>magic: must be <see cref="FsLayout.Magic"/>.</summary>
    public uint Magic { get; init; } = FsLayout.Magic;

    /// <summary>size: blocks in the whole file system, metadata included.</summary>
    public uint Size { get; init; }

    /// <summary>nblocks: data blocks (what follows the bitmap).</summary>
    public uint DataBlocks { get; init; }

    /// <summary>ninodes: inode slots; usable numbers are 1 .. Inodes-1.</summary>
    public uint Inodes { get; init; }

    /// <summary>nlog: blocks in the log region (its header block included).</summary>
    public uint LogBlocks { get; init; }

    /// <summary>logstart: the log's first block.</summary>
    public uint LogStart { get; init; }

    /// <summary>inodestart: the first block of inodes.</summary>
    public uint InodeStart { get; init; }

    /// <summary>bmapstart: the first block of the free bitmap.</summary>
    public uint BitmapStart { get; init; }

    /// <summary>Bitmap blocks needed to give each of the <see cref="Size"/> blocks a bit.</summary>
    public uint BitmapBlocks => (uint)(((ulong)Size + FsLayout.BitsPerBitmapBlock - 1) / FsLayout.BitsPerBitmapBlock);

    /// <summary>
    /// The first block that can hold data: the one after the bitmap. (xv6's mkfs reserves a
    /// spare bitmap block when Size is a multiple of 8192, so its data may start one later.)
    /// </summary>
    public uint DataStart => BitmapStart + BitmapBlocks;

    /// <summary>The block holding inode <paramref name="inum"/> (xv6's IBLOCK).</summary>
    public uint InodeBlock(uint inum) => InodeStart + inum / FsLayout.InodesPerBlock;

    /// <summary>
    /// The usable inode numbers that lie in inode block <paramref name="block"/>: first .. end-1
    /// (inode 0 is never used). For scans that read each inode block once.
    /// </summary>
    public (uint First, uint End) InodesIn(uint block)
    {
        uint first = (block - InodeStart) * FsLayout.InodesPerBlock;
        return (Math.Max(first, FsLayout.RootInode), Math.Min(first + FsLayout.InodesPerBlock, Inodes));
    }

    /// <summary>The last inode block.</summary>
    public uint LastInodeBlock => InodeBlock(Inodes - 1);

    /// <summary>The bitmap block holding the bit of <paramref name="block"/> (xv6's BBLOCK).</summary>
    public uint BitmapBlock(uint block) => BitmapStart + block / FsLayout.BitsPerBitmapBlock;

    public static Superblock Parse(ReadOnlySpan<byte> block)
    {
        if (block.Length < EncodedLength)
            throw new ArgumentException($"a superblock needs {EncodedLength} bytes, not {block.Length}", nameof(block));
        return new Superblock
        {
            Magic = Word(block, 0),
            Size = Word(block, 1),
            DataBlocks = Word(block, 2),
            Inodes = Word(block, 3),
            LogBlocks = Word(block, 4),
            LogStart = Word(block, 5),
            InodeStart = Word(block, 6),
            BitmapStart = Word(block, 7),
        };
    }

    private static uint Word(ReadOnlySpan<byte> block, int index) =>
        BinaryPrimitives.ReadUInt32LittleEndian(block[(sizeof(uint) * index)..]);

    public void WriteTo(Span<byte> block)
    {
        ReadOnlySpan<uint> words = [Magic, Size, DataBlocks, Inodes, LogBlocks, LogStart, InodeStart, BitmapStart];
        for (int i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(block[(sizeof(uint) * i)..], words[i]);
    }

    /// <summary>
    /// Why this superblock cannot describe a file system on a disk of
    /// <paramref name="diskBlocks"/> blocks, or null if it can: the magic, and regions that lie
    /// in order (boot, super, log, inodes, bitmap, data) inside the file system, which must fit
    /// on the disk. The kernel trusts these numbers afterwards, so they are checked once here.
    /// </summary>
    public string? Problem(long diskBlocks)
    {
        if (Magic != FsLayout.Magic)
            return $"bad superblock magic 0x{Magic:x8} (an xv6 file system has 0x{FsLayout.Magic:x8})";
        if (Size > diskBlocks)
            return $"the superblock says {Size} blocks but the disk has only {diskBlocks}";
        if (Inodes <= FsLayout.RootInode)
            return $"the superblock says {Inodes} inodes, too few for a root directory";
        ulong inodeEnd = (ulong)InodeStart + ((ulong)Inodes + FsLayout.InodesPerBlock - 1) / FsLayout.InodesPerBlock;
        ulong bitmapEnd = (ulong)BitmapStart + BitmapBlocks;
        if (LogStart <= FsLayout.SuperblockBlock
            || (ulong)LogStart + LogBlocks > InodeStart
            || inodeEnd > BitmapStart
            || bitmapEnd > Size)
        {
            return $"the superblock's regions overlap or overrun the file system (log {LogStart}+{LogBlocks}, "
                + $"inodes {InodeStart}, bitmap {BitmapStart}, size {Size})";
        }
        if (DataBlocks > Size - bitmapEnd)
            return $"the superblock says {DataBlocks} data blocks but only {Size - bitmapEnd} follow the bitmap";
        return null;
    }
}
