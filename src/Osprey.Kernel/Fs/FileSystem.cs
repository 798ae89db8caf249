using Osprey.Kernel.Sched;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Fs;

/// <summary>
/// One xv6 file system on one disk, and the layers that read it, bottom up:
/// <code>
///   Paths        names to inodes             (PathResolver)
///   Directories  entries inside directories  (Directory)
///   Inodes       the inode table, bmap, readi, stat (InodeCache)
///   Buffers      cached, locked disk blocks  (BufferCache)
///   Disk         the block device
/// </code>
/// Build it, then <see cref="Mount"/> it; the layers above the buffer cache exist once the
/// superblock is known. (The log and block allocation, the write side, slot in between the
/// buffers and the inodes.)
/// </summary>
public sealed class FileSystem
{
    private readonly Scheduler _scheduler;
    private readonly int _inodeCapacity;
    private Superblock? _superblock;
    private InodeCache? _inodes;
    private Directory? _directories;
    private PathResolver? _paths;

    public FileSystem(Scheduler scheduler, BlockDevice disk, int device = 1, int buffers = 64, int inodes = 50)
    {
        _scheduler = scheduler;
        _inodeCapacity = inodes;
        Disk = disk;
        Device = device;
        Buffers = new BufferCache(scheduler, buffers);
        Buffers.Attach(device, disk);
    }

    /// <summary>The device number: what stat reports as dev (xv6's ROOTDEV is 1).</summary>
    public int Device { get; }

    public BlockDevice Disk { get; }

    public BufferCache Buffers { get; }

    public bool IsMounted => _superblock != null;

    public Superblock Superblock => _superblock ?? throw NotMounted();

    public InodeCache Inodes => _inodes ?? throw NotMounted();

    public Directory Directories => _directories ?? throw NotMounted();

    public PathResolver Paths => _paths ?? throw NotMounted();

    /// <summary>
    /// Reads and checks the superblock and sets up the inode layers. A disk that does not hold a
    /// sound xv6 file system is the user's mistake, not a kernel bug: it gives an
    /// <see cref="InvalidDataException"/> saying what is wrong, and the file system stays
    /// unmounted. The superblock is read straight from the disk, before anything is cached, so
    /// boot may call this from a host thread that holds no CPU.
    /// </summary>
    public void Mount()
    {
        if (_superblock != null)
            throw new InvalidOperationException($"device {Device} is already mounted");
        if (Disk.BlockCount <= FsLayout.SuperblockBlock)
            throw new InvalidDataException($"device {Device}: {Disk.BlockCount} blocks is too small to hold a file system");

        var block = new byte[FsLayout.BlockSize];
        Disk.Read(FsLayout.SuperblockBlock, block);
        Superblock sb = Superblock.Parse(block);
        if (sb.Problem(Disk.BlockCount) is { } problem)
            throw new InvalidDataException($"device {Device}: not a usable xv6 file system: {problem}");

        _inodes = new InodeCache(_scheduler, Buffers, sb, Device, _inodeCapacity);
        _directories = new Directory(_inodes);
        _paths = new PathResolver(_inodes, _directories);
        _superblock = sb;
    }

    /// <summary>xv6's iget(ROOTDEV, ROOTINO): a new reference to the root directory, which the caller Puts.</summary>
    public Inode Root() => Inodes.Get(FsLayout.RootInode);

    private InvalidOperationException NotMounted() => new($"device {Device} is not mounted");
}
