using System.Buffers.Binary;
using Osprey.Kernel.Fs;

namespace Osprey.Fsck;

// Steps 4 and 5: the blocks inodes use, the sizes that say how many they need, and the bitmap.
public sealed partial class FileSystemChecker
{
    /// <summary>Per block: the first inode found using it, 0 for none.</summary>
    private readonly uint[] _owner;

    private void CheckBlocks()
    {
        for (uint inum = 1; inum < _sb.Inodes; inum++)
        {
            if (_inodes[inum] is { } d)
                CheckInodeBlocks(inum, d);
        }
    }

    private void CheckInodeBlocks(uint inum, DiskInode d)
    {
        if (d.Size > FsLayout.MaxFileSize)
            _report.Problem($"{Describe(inum)}: size {d.Size} is more than the largest file ({FsLayout.MaxFileSize} bytes)");
        if (d.Type == InodeType.Directory && d.Size % DirectoryEntry.EncodedLength != 0)
            _report.Problem($"{Describe(inum)}: a directory of {d.Size} bytes, not a whole number of {DirectoryEntry.EncodedLength}-byte entries");

        long needed = BlocksNeeded(d);
        for (int fileBlock = 0; fileBlock < FsLayout.DirectBlocks; fileBlock++)
            UseFileBlock(inum, d, d.Addresses[fileBlock], fileBlock, needed);

        uint indirect = d.Addresses[DiskInode.IndirectSlot];
        if (indirect == 0 || !Claim(inum, indirect, "its indirect block"))
            return;
        if (needed <= FsLayout.DirectBlocks)
            _report.Problem($"{Describe(inum)}: has indirect block {indirect}, but its size {d.Size} needs only {needed} block{(needed == 1 ? "" : "s")}");
        ReadOnlySpan<byte> entries = _image.Block(indirect);
        for (int i = 0; i < FsLayout.IndirectBlocks; i++)
            UseFileBlock(inum, d, BinaryPrimitives.ReadUInt32LittleEndian(entries[(i * sizeof(uint))..]), FsLayout.DirectBlocks + i, needed);
    }

    /// <summary>Blocks that hold the bytes up to the size (no more than the largest file has).</summary>
    private static long BlocksNeeded(DiskInode d) =>
        (Math.Min(d.Size, FsLayout.MaxFileSize) + FsLayout.BlockSize - 1) / FsLayout.BlockSize;

    private void UseFileBlock(uint inum, DiskInode d, uint block, int fileBlock, long needed)
    {
        if (block == 0)
            return;
        if (Claim(inum, block, $"file block {fileBlock}") && fileBlock >= needed)
            _report.Problem($"{Describe(inum)}: block {block} holds file block {fileBlock}, past the end of the file (size {d.Size} needs {needed} block{(needed == 1 ? "" : "s")})");
    }

    /// <summary>Records that <paramref name="inum"/> uses <paramref name="block"/>; false if it is not a data block at all.</summary>
    private bool Claim(uint inum, uint block, string what)
    {
        if (block < _dataStart || block >= _sb.Size)
        {
            _report.Problem($"{Describe(inum)}: {what} is block {block}, outside the data blocks {_dataStart}..{_sb.Size - 1}");
            return false;
        }
        uint other = _owner[block];
        if (other == 0)
            _owner[block] = inum;
        else if (other == inum)
            _report.Problem($"block {block}: used twice by inode {inum}");
        else
            _report.Problem($"block {block}: used by inode {other} and inode {inum}");
        return true;
    }

    /// <summary>Step 5: the bitmap marks the metadata and the blocks in use, and nothing else.</summary>
    private void CheckBitmap()
    {
        uint leakStart = 0, leaked = 0;
        for (uint b = 0; b < _sb.Size; b++)
        {
            bool marked = _image.IsAllocated(b);
            if (b >= _dataStart && _owner[b] == 0 && marked)
            {
                if (leaked++ == 0)
                    leakStart = b;
                continue;
            }
            ReportLeak(leakStart, leaked);
            leaked = 0;
            if (marked)
                continue;
            if (b < _dataStart)
                _report.Problem($"block {b}: {Region(b)}, but free in the bitmap");
            else if (_owner[b] != 0)
                _report.Problem($"block {b}: used by {Describe(_owner[b])}, but free in the bitmap");
        }
        ReportLeak(leakStart, leaked);
    }

    /// <summary>A run of blocks marked in use that nothing uses, as one line.</summary>
    private void ReportLeak(uint start, uint count)
    {
        if (count == 0)
            return;
        string blocks = count == 1 ? $"block {start}" : $"blocks {start}-{start + count - 1}";
        _report.Problem($"{blocks}: marked in use in the bitmap, but used by no inode (leaked)");
    }

    private string Region(uint b)
    {
        if (b == 0)
            return "the boot block";
        if (b == FsLayout.SuperblockBlock)
            return "the superblock";
        if (b >= _sb.LogStart && b < _sb.LogStart + _sb.LogBlocks)
            return "a log block";
        if (b >= _sb.InodeStart && b < _sb.BitmapStart)
            return "an inode block";
        if (b >= _sb.BitmapStart)
            return "a bitmap block";
        return "metadata";
    }
}
