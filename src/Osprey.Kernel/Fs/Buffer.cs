using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Fs;

/// <summary>
/// One slot of the buffer cache: a copy of one disk block (xv6's struct buf).
///
/// Two locks guard it, as in xv6, but the first is now per bucket. The lock of the bucket the
/// buffer's block hashes to protects its reference count and last-use stamp; its identity
/// (<see cref="Device"/>, <see cref="BlockNumber"/>) changes only under the cache's eviction lock
/// and the buckets involved, and never while it has a reference. <see cref="Lock"/>, a sleep
/// lock, protects <see cref="Data"/> and <see cref="Valid"/>: only the thread that got the buffer
/// from <see cref="BufferCache.Read"/> may touch them, and it may sleep (wait for the disk) while
/// it does. A buffer with a reference is never given another block, so the identity fields are
/// stable for whoever holds it.
/// </summary>
public sealed class Buffer
{
    internal Buffer(Scheduler scheduler, int slot)
    {
        Slot = slot;
        Lock = new SleepLock(scheduler, "buffer");
    }

    /// <summary>The buffer's index in the cache.</summary>
    public int Slot { get; }

    /// <summary>The device whose block this is; -1 while the slot has never held one.</summary>
    public int Device { get; internal set; } = -1;

    public uint BlockNumber { get; internal set; }

    /// <summary>The block's bytes. Kernel metadata lives in host memory; user data never stays here.</summary>
    public byte[] Data { get; } = new byte[FsLayout.BlockSize];

    /// <summary>Whether <see cref="Data"/> holds the block yet (false until it is read from disk).</summary>
    internal bool Valid { get; set; }

    /// <summary>Threads using the buffer plus pins; a slot is reused only at 0. Under its bucket's lock.</summary>
    internal int References { get; set; }

    /// <summary>When the last reference was dropped (a count that only grows): eviction takes the smallest.</summary>
    internal long LastUsed { get; set; }

    internal SleepLock Lock { get; }

    public override string ToString() => $"buffer dev {Device} block {BlockNumber}";
}
