using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Fsck;

/// <summary>
/// fsck for xv6 images, on the host: checks that an image is a consistent file system.
/// Every inconsistency is one problem line; the checks are:
/// <code>
///   1. the superblock describes a file system that fits the image (else: not an xv6 image)
///   2. the log: a committed transaction is replayed first, as the kernel does at mount
///   3. inodes: each is free, a directory, a file or a device
///   4. blocks: every block an inode uses lies among the data blocks and is used once;
///      sizes stay within the largest file and within the blocks allocated
///   5. the bitmap marks exactly the metadata and the blocks in use
///   6. the tree: every directory reached from the root once, "." and ".." right, every
///      entry naming an allocated inode
///   7. link counts: a file's is its number of names; a directory's is 1 (its name, or the
///      root's own) plus its subdirectories (their ".." entries; "." does not count), as
///      mkfs and the kernel's mkdir keep them
///   8. allocated inodes no directory names: one with nlink 0 is an orphan (unlinked while
///      open; the next boot frees it), a warning, when the machine may have stopped with it
///      open; on an image whose shutdown record says it was shut down cleanly nothing held
///      it, so it is a leak, a problem. Anything else unnamed is a problem (lost).
/// </code>
/// The image's bytes are never changed; the log is replayed on a copy.
/// </summary>
public sealed partial class FileSystemChecker
{
    private readonly ImageReader _image;
    private readonly Superblock _sb;
    private readonly FsckReport _report;

    /// <summary>The first data block: everything below it is metadata (xv6's nmeta).</summary>
    private readonly uint _dataStart;

    /// <summary>Per inode number: the inode if allocated with a known type, else null.</summary>
    private readonly DiskInode?[] _inodes;

    private FileSystemChecker(ImageReader image, FsckReport report)
    {
        _image = image;
        _sb = image.Superblock;
        _report = report;
        _dataStart = _sb.Size - _sb.DataBlocks;
        _inodes = new DiskInode?[_sb.Inodes];
        _owner = new uint[_sb.Size];
        _names = new int[_sb.Inodes];
        _subdirectories = new int[_sb.Inodes];
        _treeParent = new uint[_sb.Inodes];
        _pathOf = new string?[_sb.Inodes];
    }

    /// <summary>Checks an image. Throws <see cref="InvalidDataException"/> if it is not an xv6 file system at all.</summary>
    public static FsckReport Check(byte[] image)
    {
        var report = new FsckReport();
        ImageReader reader = ReplayLog(image, report);
        report.State = ShutdownRecord.Read(reader.Block(FsLayout.SuperblockBlock));
        if (report.State == FileSystemState.Mounted)
            report.Note("superblock: not shut down cleanly (still mounted, or the machine stopped): orphans are allowed");
        new FileSystemChecker(reader, report).Run();
        return report;
    }

    private void Run()
    {
        ReadInodes();
        bool haveRoot = _inodes[FsLayout.RootInode]?.Type == InodeType.Directory;
        if (haveRoot)
            WalkTree(); // first, so that later messages can name inodes by path
        else
            _report.Problem($"inode {FsLayout.RootInode}: the root is not a directory; the tree cannot be checked");
        CheckBlocks();
        CheckBitmap();
        if (haveRoot)
            CheckLinkCounts();
        Tally();
    }

    /// <summary>Step 3: every inode's type; the rest of the check looks only at the allocated ones.</summary>
    private void ReadInodes()
    {
        for (uint inum = 1; inum < _sb.Inodes; inum++)
        {
            DiskInode d = _image.ReadInode(inum);
            if (d.Type is InodeType.Directory or InodeType.File or InodeType.Device)
                _inodes[inum] = d;
            else if (d.Type != InodeType.Free)
                _report.Problem($"inode {inum}: unknown type {(short)d.Type} (free is 0, directory 1, file 2, device 3)");
        }
    }

    private void Tally()
    {
        _report.InodeSlots = (int)_sb.Inodes - 1;
        _report.Blocks = (int)_sb.Size;
        foreach (DiskInode? d in _inodes)
        {
            if (d == null)
                continue;
            _report.InodesUsed++;
            switch (d.Type)
            {
                case InodeType.File: _report.Files++; break;
                case InodeType.Directory:
                    _report.Directories++;
                    long blocks = BlocksNeeded(d);
                    _report.DirectoryBlocks += (int)(blocks + (blocks > FsLayout.DirectBlocks ? 1 : 0));
                    break;
                case InodeType.Device: _report.Devices++; break;
            }
        }
        for (uint b = 0; b < _sb.Size; b++)
        {
            if (_image.IsAllocated(b))
                _report.BlocksUsed++;
        }
    }

    /// <summary>How an inode is named in messages: its number, and its first path if the walk found one.</summary>
    private string Describe(uint inum) => _pathOf[inum] is { } path ? $"inode {inum} ({path})" : $"inode {inum}";
}
