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
///   Log          crash-safe groups of writes (Log), data blocks (BlockAllocator)
/// Build it, then <see cref="Mount"/> it; the layers above the buffer cache exist once the
/// superblock is known and the log has been recovered. The first kernel thread then calls
/// <see cref="FreeOrphans"/>.
/// </summary>
public sealed class FileSystem
{
    private readonly Scheduler _scheduler;
    private readonly int _inodeCapacity;
    private Superblock? _superblock;
    private Log? _log;
    private BlockAllocator? _blocks;
    private InodeCache? _inodes;
    private Directory? _directories;
    private PathResolver? _paths;
    private Names? _names;

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

    public Log Log => _log ?? throw NotMounted();

    public BlockAllocator Blocks => _blocks ?? throw NotMounted();

    public InodeCache Inodes => _inodes ?? throw NotMounted();

    /// <summary>Blocks of a committed transaction that Mount found in the log and installed (0 after a clean shutdown).</summary>
    public int RecoveredBlocks { get; private set; }

    public Directory Directories => _directories ?? throw NotMounted();

    public PathResolver Paths => _paths ?? throw NotMounted();

    public Names Names => _names ?? throw NotMounted();

    /// <summary>
    /// Reads and checks the superblock, recovers the log (xv6's initlog: a transaction committed
    /// before a crash is installed now) and sets up the layers. A disk that does not hold a
    /// sound xv6 file system is the user's mistake, not a kernel bug: it gives an
    /// <see cref="InvalidDataException"/> saying what is wrong, and the file system stays
    /// unmounted. Everything here uses the disk directly, before anything is cached, so boot
    /// may call this from a host thread that holds no CPU.
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

        var log = new Log(_scheduler, Buffers, Disk, Device, sb);
        RecoveredBlocks = Disk.Writable ? Log.Recover(Disk, sb) : 0;
        StateAtMount = ShutdownRecord.Read(block);
        if (Disk.Writable && StateAtMount != FileSystemState.Mounted)
            RecordState(block, FileSystemState.Mounted);
        _log = log;
        _blocks = new BlockAllocator(Buffers, log, sb, Device);
        _inodes = new InodeCache(_scheduler, Buffers, log, _blocks, sb, Device, _inodeCapacity);
        _directories = new Directory(_inodes);
        _paths = new PathResolver(_inodes, _directories);
        _names = new Names(this);
        _superblock = sb;
    }

    /// <summary>What the disk's shutdown record said when it was mounted (Mounted after a crash).</summary>
    public FileSystemState StateAtMount { get; private set; }

    /// <summary>
    /// The file system's part of a clean halt, on a kernel thread that is in no operation:
    /// closes the log (operations in progress end and commit; no new one begins), then records
    /// a clean shutdown in the superblock, unless an unlinked inode is still referenced (a file
    /// open when the machine stops: the record stays Mounted, so fsck calls it an orphan, not a
    /// leak, and the next boot frees it). Returns whether the record now says Clean.
    /// </summary>
    public bool Unmount()
    {
        Log.Close();
        if (!Disk.Writable || Inodes.AnyUnlinkedInUse())
            return false;
        // Nothing else writes the disk now: the log is closed, and only its commits write.
        var block = new byte[FsLayout.BlockSize];
        Disk.Read(FsLayout.SuperblockBlock, block);
        RecordState(block, FileSystemState.Clean);
        return true;
    }

    /// <summary>Writes <paramref name="state"/> into block 1 (its bytes in <paramref name="block"/>), straight to the disk.</summary>
    private void RecordState(byte[] block, FileSystemState state)
    {
        ShutdownRecord.Write(block, state);
        Disk.Write(FsLayout.SuperblockBlock, block);
    }

    /// <summary>
    /// Frees inodes that are allocated but named by no directory (nlink 0): files unlinked while
    /// still open when the machine stopped. xv6 leaves them allocated for ever; a boot-time scan
    /// is the repair its book suggests. Runs in a kernel thread before any process uses the
    /// disk. Returns how many it freed.
    /// </summary>
    public int FreeOrphans()
    {
        var orphans = new List<uint>();
        for (uint block = Superblock.InodeStart; block <= Superblock.LastInodeBlock; block++)
        {
            Buffer b = Buffers.Read(Device, block);
            (uint first, uint end) = Superblock.InodesIn(block);
            for (uint inum = first; inum < end; inum++)
            {
                DiskInode d = DiskInode.Parse(b.Data.AsSpan(DiskInode.OffsetInBlock(inum)));
                if (d.Type != InodeType.Free && d.Nlink == 0 && inum != FsLayout.RootInode)
                    orphans.Add(inum);
            }
            Buffers.Release(b);
        }
        foreach (uint inum in orphans)
        {
            // Locking loads it; the last Put frees it (Put joins this operation).
            Log.BeginOp();
            Inode ip = Inodes.Get(inum);
            Inodes.Lock(ip);
            Inodes.UnlockPut(ip);
            Log.EndOp();
        }
        return orphans.Count;
    }

    /// <summary>xv6's iget(ROOTDEV, ROOTINO): a new reference to the root directory, which the caller Puts.</summary>
    public Inode Root() => Inodes.Get(FsLayout.RootInode);

    private InvalidOperationException NotMounted() => new($"device {Device} is not mounted");
}
