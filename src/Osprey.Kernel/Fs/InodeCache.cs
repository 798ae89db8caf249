using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Fs;

/// <summary>
/// xv6's inode table (itable): a fixed number of in-memory inodes of one file system, shared by
/// every thread that uses a file, so that all of them see one copy of each inode.
///
/// An inode's life in the table has two separate parts, as in xv6:
/// <list type="bullet">
/// <item><b>Referenced</b> (<see cref="Get"/>, <see cref="Dup"/>, <see cref="Put"/>): the entry
/// names that inode and will not be reused. Counted under <see cref="_lock"/>.</item>
/// <item><b>Locked</b> (<see cref="Lock"/>, <see cref="Unlock"/>): the caller may read and change
/// the inode's fields and contents. The first lock reads the inode from disk.</item>
/// </list>
/// Keeping them apart lets a path walk hold references to several inodes while locking only
/// one at a time, and lets open files keep inodes without keeping them locked.
///
/// Lock order: an inode's sleep lock before buffer locks (loading reads a block); a directory's
/// before its children's (never the reverse; a path walk unlocks each directory before locking
/// the next). <see cref="_lock"/> is never held while taking a sleep lock.
///
/// Contents (bmap, readi, stat) are in InodeCache.Data.cs.
/// </summary>
public sealed partial class InodeCache
{
    private readonly Spinlock _lock = new("itable");
    private readonly Inode[] _table;
    private readonly BufferCache _buffers;
    private readonly Log _log;
    private readonly BlockAllocator _blocks;

    public InodeCache(Scheduler scheduler, BufferCache buffers, Log log, BlockAllocator blocks, Superblock superblock, int device, int capacity = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _buffers = buffers;
        _log = log;
        _blocks = blocks;
        Superblock = superblock;
        Device = device;
        _table = new Inode[capacity];
        for (int i = 0; i < capacity; i++)
            _table[i] = new Inode(scheduler, i);
    }

    public int Device { get; }

    public Superblock Superblock { get; }

    public int Capacity => _table.Length;

    public LockStats LockStats => _lock.Stats;

    /// <summary>
    /// xv6's iget: a referenced, unlocked inode for <paramref name="inum"/>, found in the table or
    /// given a free entry. It does not touch the disk; <see cref="Lock"/> does that.
    /// </summary>
    public Inode Get(uint inum) => Take(inum, evenIfReferenced: true)!;

    /// <summary>
    /// The entry for <paramref name="inum"/> with one more reference: the entry already holding
    /// it (null instead, unless <paramref name="evenIfReferenced"/>), or a free one.
    /// </summary>
    private Inode? Take(uint inum, bool evenIfReferenced)
    {
        if (inum == 0 || inum >= Superblock.Inodes)
            throw Panic.Now($"iget: inode {inum} is outside 1..{Superblock.Inodes - 1}");

        _lock.Acquire();
        Inode? free = null;
        foreach (Inode ip in _table)
        {
            if (ip.References > 0 && ip.Number == inum)
            {
                if (evenIfReferenced)
                    ip.References++;
                _lock.Release();
                return evenIfReferenced ? ip : null;
            }
            if (free == null && ip.References == 0)
                free = ip;
        }
        if (free == null)
        {
            _lock.Release();
            throw Panic.Now($"iget: all {_table.Length} inodes are in use");
        }
        free.Device = Device;
        free.Number = inum;
        free.References = 1;
        free.Valid = false; // unreferenced, so nobody holds its lock: its fields are ours to reset
        _lock.Release();
        return free;
    }

    /// <summary>xv6's idup: one more reference to an inode the caller already references.</summary>
    public Inode Dup(Inode ip)
    {
        _lock.Acquire();
        if (ip.References < 1)
        {
            _lock.Release();
            throw Panic.Now($"idup {ip}: not referenced");
        }
        ip.References++;
        _lock.Release();
        return ip;
    }

    /// <summary>xv6's ilock: locks the inode, reading it from disk the first time.</summary>
    public void Lock(Inode ip) => Lock(ip, nesting: 0);

    /// <summary>
    /// ilock for an inode named in a directory whose lock the caller holds (create, unlink): the
    /// parent-then-child order, which lockdep knows as nesting level 1 of the inode class.
    /// </summary>
    public void LockChild(Inode ip) => Lock(ip, nesting: 1);

    private void Lock(Inode ip, int nesting)
    {
        // The caller's own reference keeps References above zero, so reading it unlocked is safe.
        if (ip.References < 1)
            throw Panic.Now($"ilock {ip}: not referenced");
        ip.Lock.AcquireNested(nesting);
        if (!ip.Valid)
            Load(ip);
    }

    /// <summary>xv6's iunlock.</summary>
    public void Unlock(Inode ip)
    {
        if (ip.References < 1 || !ip.Lock.Holding())
            throw Panic.Now($"iunlock {ip}: not locked by this thread");
        ip.Lock.Release();
    }

    /// <summary>
    /// xv6's iput: drops a reference. When it is the last reference to an inode that no
    /// directory names any more (an unlinked file closed for the last time), the inode and its
    /// blocks are freed on disk, inside a log operation (joining the caller's, if it has one).
    /// Otherwise the entry simply becomes reusable; its fields are read again from disk when
    /// it is next used.
    ///
    /// The invariant: an inode whose link count is 0 is truncated and freed by the Put that
    /// drops its last reference, whatever the interleaving. Two things make it hold. Nobody
    /// can take a new reference while that Put frees it: no directory names it, and
    /// <see cref="Allocate"/> will not hand out an inode number the table still references
    /// (the type goes to Free on disk before this reference is dropped, and the commit may
    /// sleep in between). And the reference count is checked again afterwards: a second
    /// reference appearing during the free would be a kernel bug, so it panics.
    /// </summary>
    public void Put(Inode ip)
    {
        _lock.Acquire();
        if (ip.References < 1)
        {
            _lock.Release();
            throw Panic.Now($"iput {ip}: not referenced");
        }
        if (ip.References == 1 && ip.Valid && ip.Nlink == 0)
        {
            // Ours is the only reference, so nobody else can hold or wait for the lock, and
            // no path walk can find the inode (no directory names it): locking cannot block.
            _lock.Release();
            Free(ip);
            _lock.Acquire();
            if (ip.References != 1)
            {
                int references = ip.References;
                _lock.Release();
                throw Panic.Now($"iput {ip}: {references} references to an inode while its last Put freed it");
            }
        }
        ip.References--;
        _lock.Release();
    }

    /// <summary>
    /// Frees an unlinked inode's blocks and marks it free on disk (the end of iput). The caller
    /// may hold other inodes (create undoing itself holds the directory); this one nobody else
    /// can reach, so its lock is taken at a nesting level of its own (2) for lockdep.
    /// </summary>
    private void Free(Inode ip)
    {
        _log.BeginOp();
        ip.Lock.AcquireNested(2);
        Truncate(ip);
        ip.Type = InodeType.Free;
        Update(ip);
        ip.Valid = false;
        ip.Lock.Release();
        _log.EndOp();
    }

    /// <summary>xv6's iunlockput: the usual end of using an inode.</summary>
    public void UnlockPut(Inode ip)
    {
        Unlock(ip);
        Put(ip);
    }

    /// <summary>
    /// Whether some referenced inode has link count 0: an unlinked file still open (or a
    /// directory still someone's cwd), which its last Put would free. Meaningful when no
    /// operation is in progress (link counts change only inside operations).
    /// </summary>
    public bool AnyUnlinkedInUse()
    {
        _lock.Acquire();
        // An entry not yet loaded is named by a directory: unlink loads an inode before it
        // drops the count, and only a Put that is freeing an inode clears Valid.
        bool any = _table.Any(ip => ip.References > 0 && ip.Valid && ip.Nlink == 0);
        _lock.Release();
        return any;
    }

    /// <summary>How many entries are referenced (for tests and statistics).</summary>
    public int InUse()
    {
        _lock.Acquire();
        int n = _table.Count(ip => ip.References > 0);
        _lock.Release();
        return n;
    }

    /// <summary>Caller holds the inode's lock. Copies the dinode into the in-memory inode.</summary>
    private void Load(Inode ip)
    {
        Buffer b = _buffers.Read(ip.Device, Superblock.InodeBlock(ip.Number));
        DiskInode d = DiskInode.Parse(b.Data.AsSpan(DiskInode.OffsetInBlock(ip.Number)));
        _buffers.Release(b);

        ip.Type = d.Type;
        ip.Major = d.Major;
        ip.Minor = d.Minor;
        ip.Nlink = d.Nlink;
        ip.Size = d.Size;
        d.Addresses.CopyTo(ip.Addresses);
        ip.Valid = true;
        // A reference to a free inode means a directory entry names nothing: a corrupt disk.
        if (ip.Type == InodeType.Free)
        {
            ip.Valid = false;
            ip.Lock.Release();
            throw Panic.Now($"ilock {ip}: the inode is free on disk");
        }
    }

    /// <summary>Panics unless the calling thread holds <paramref name="ip"/>'s lock.</summary>
    private static void RequireLocked(Inode ip, string who)
    {
        if (!ip.Lock.Holding())
            throw Panic.Now($"{who} {ip}: inode not locked by this thread");
    }
}
