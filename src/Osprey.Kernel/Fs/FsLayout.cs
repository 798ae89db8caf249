namespace Osprey.Kernel.Fs;

/// <summary>
/// The numbers that define xv6's on-disk format. A disk is a row of 1024-byte blocks:
/// <code>
///   [ boot | superblock | log | inode blocks | free bitmap | data blocks ]
///     0      1            ...
/// </code>
/// The superblock says where each region starts; everything else follows from these constants.
/// An image that keeps to them can be used by xv6-riscv's kernel and by ours.
/// </summary>
public static class FsLayout
{
    /// <summary>Bytes in a file-system block (xv6's BSIZE); also the disk's transfer unit.</summary>
    public const int BlockSize = 1024;

    /// <summary>The first word of every xv6 superblock (FSMAGIC).</summary>
    public const uint Magic = 0x10203040;

    /// <summary>Block 0 is left for a boot loader; the superblock is block 1.</summary>
    public const uint SuperblockBlock = 1;

    /// <summary>The root directory's inode number (ROOTINO). Inode 0 is never used.</summary>
    public const uint RootInode = 1;

    /// <summary>Block addresses held in the inode itself (NDIRECT).</summary>
    public const int DirectBlocks = 12;

    /// <summary>Block addresses in the single indirect block (NINDIRECT): a block of uint32s.</summary>
    public const int IndirectBlocks = BlockSize / sizeof(uint);

    /// <summary>The most blocks a file can have (MAXFILE).</summary>
    public const int MaxFileBlocks = DirectBlocks + IndirectBlocks;

    /// <summary>The largest file, in bytes.</summary>
    public const long MaxFileSize = (long)MaxFileBlocks * BlockSize;

    /// <summary>Bytes in an on-disk inode (struct dinode).</summary>
    public const int DiskInodeSize = 64;

    /// <summary>Inodes per block (IPB).</summary>
    public const int InodesPerBlock = BlockSize / DiskInodeSize;

    /// <summary>Blocks described by one bitmap block (BPB): one bit each.</summary>
    public const int BitsPerBitmapBlock = BlockSize * 8;

    /// <summary>Bytes of a name in a directory entry (DIRSIZ); shorter names are NUL-padded.</summary>
    public const int NameLength = 14;

    /// <summary>Bytes in a directory entry: a 2-byte inode number and the name.</summary>
    public const int DirectoryEntrySize = 2 + NameLength;

    /// <summary>xv6's mkfs default image size, in blocks (FSSIZE).</summary>
    public const int DefaultImageBlocks = 2000;

    /// <summary>xv6's mkfs default inode count (NINODES); inode numbers run 1 .. count-1.</summary>
    public const int DefaultInodes = 200;

    /// <summary>
    /// Blocks in the log region as xv6-riscv's current mkfs lays it out: one header block
    /// followed by LOGBLOCKS = 30 data blocks (3 × MAXOPBLOCKS). Older xv6 made the whole
    /// region 30 blocks; either kernel reads the real size from the superblock, so both kinds
    /// of image work with both kernels.
    /// </summary>
    public const int DefaultLogBlocks = 31;

    /// <summary>How many inode blocks mkfs reserves for <paramref name="inodes"/> inodes (it adds one spare, as xv6 does).</summary>
    public static uint InodeBlocksFor(uint inodes) => inodes / InodesPerBlock + 1;

    /// <summary>How many bitmap blocks mkfs reserves for an image of <paramref name="size"/> blocks (again one spare at exact multiples, as xv6).</summary>
    public static uint BitmapBlocksFor(uint size) => size / BitsPerBitmapBlock + 1;
}
