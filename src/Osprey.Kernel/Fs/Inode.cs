using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Fs;

/// <summary>
/// An inode in memory: one entry of the <see cref="InodeCache"/> (xv6's struct inode).
///
/// The cache's spinlock protects <see cref="Device"/>, <see cref="Number"/> and
/// <see cref="References"/>: which inode this entry is and how many C# references (open files,
/// current directories, path walks in progress) point at it. While References is above zero
/// the entry keeps its identity, so holders may read Device and Number without a lock.
///
/// <see cref="Lock"/>, a sleep lock, protects everything copied from the disk: <see cref="Valid"/>,
/// <see cref="Type"/>, <see cref="Major"/>, <see cref="Minor"/>, <see cref="Nlink"/>,
/// <see cref="Size"/> and the block addresses. Take it with <see cref="InodeCache.Lock"/>, which
/// also loads those fields on first use.
/// </summary>
public sealed class Inode
{
    internal Inode(Scheduler scheduler, int slot)
    {
        Lock = new SleepLock(scheduler, "inode");
    }

    public int Device { get; internal set; }

    /// <summary>The inode number (i-number) on its device.</summary>
    public uint Number { get; internal set; }

    /// <summary>How many references the kernel holds; the entry is free at 0. Under the cache lock.</summary>
    internal int References { get; set; }

    internal SleepLock Lock { get; }

    /// <summary>Whether the fields below have been read from disk yet.</summary>
    internal bool Valid { get; set; }

    public InodeType Type { get; internal set; }

    public short Major { get; internal set; }

    public short Minor { get; internal set; }

    public short Nlink { get; internal set; }

    public uint Size { get; internal set; }

    /// <summary>The 12 direct block numbers and the indirect block's number, as on disk.</summary>
    internal uint[] Addresses { get; } = new uint[FsLayout.DirectBlocks + 1];

    /// <summary>Whether the calling thread holds this inode's lock.</summary>
    public bool IsLockedByMe => Lock.Holding();

    public override string ToString() => $"inode {Device}/{Number}";
}
