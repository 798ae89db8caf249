using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Fs;

/// <summary>
/// The write-ahead log (xv6's log.c), which makes each file-system system call atomic with
/// respect to crashes. A system call brackets its changes with <see cref="BeginOp"/> and
/// <see cref="EndOp"/> and writes changed buffers with <see cref="Write"/> instead of to the
/// disk; the buffers stay pinned in the cache until the commit. When the last operation in
/// progress ends, the group is committed:
/// <code>
///   1. copy every logged block into the log region (blocks LogStart+1 ...)
///   2. write the header (block LogStart): the count and the home block numbers  ← commit point
///   3. copy the blocks to their homes
///   4. write the header again with count 0
/// </code>
/// A crash before step 2 leaves the header empty, and the operations never happened; after it,
/// <see cref="Recover"/> at the next mount redoes step 3, and they all did.
///
/// Group commit: operations that overlap in time share one commit. Absorption: a block written
/// many times by the group is logged once. Bound: BeginOp admits an operation only if the log
/// can hold what is logged already plus <see cref="MaxOpBlocks"/> for each operation in
/// progress, so a commit never overflows; callers split large writes to stay under the bound.
///
/// Durability: EndOp returns only after the commit that holds the operation is on disk, so
/// once a system call returns, its effect survives a crash. (xv6 lets a call return before a
/// later operation in its group ends; waiting costs concurrent callers a little latency.)
///
/// <see cref="_lock"/> protects every field below. The commit itself runs without it: while
/// <see cref="_committing"/> is set no operation can begin, so nobody else touches the header
/// or the pinned buffers. Operations nest per thread (a nested BeginOp joins the outer one),
/// so that code such as iput can bracket itself whether or not its caller already has.
/// </summary>
public sealed class Log
{
    /// <summary>The most blocks one operation may write (xv6's MAXOPBLOCKS).</summary>
    public const int MaxOpBlocks = 10;

    private readonly Spinlock _lock = new("log");
    private readonly Scheduler _scheduler;
    private readonly BufferCache _buffers;
    private readonly BlockDevice _disk;
    private readonly int _device;
    private readonly uint _start;
    private readonly uint[] _blocks;
    private int _count;
    private int _outstanding;
    private bool _committing;
    private bool _closed;
    private long _commitsDone;

    public Log(Scheduler scheduler, BufferCache buffers, BlockDevice disk, int device, Superblock sb)
    {
        if (sb.LogBlocks < 2)
            throw new InvalidDataException($"a log of {sb.LogBlocks} blocks has no room for a header and data");
        _scheduler = scheduler;
        _buffers = buffers;
        _disk = disk;
        _device = device;
        _start = sb.LogStart;
        Capacity = LogHeader.Capacity(sb);
        if (Capacity < MaxOpBlocks)
            throw new InvalidDataException($"a log of {sb.LogBlocks} blocks cannot hold one operation of {MaxOpBlocks} blocks");
        _blocks = new uint[Capacity];
    }

    /// <summary>Data blocks the log region holds (the header block not counted).</summary>
    public int Capacity { get; }

    /// <summary>Commits that wrote at least one block, and the blocks they wrote (for statistics and tests).</summary>
    public long Commits { get; private set; }
    public long BlocksCommitted { get; private set; }

    public LockStats LockStats => _lock.Stats;

    /// <summary>Whether the calling thread is inside an operation.</summary>
    public static bool InOperation => KThread.Current is { LogDepth: > 0 };

    /// <summary>The calling kernel thread's nesting of operations (kept per kernel thread: host threads are reused).</summary>
    private static int Depth
    {
        get => Scheduler.CurrentThread().LogDepth;
        set => Scheduler.CurrentThread().LogDepth = value;
    }

    /// <summary>
    /// xv6's begin_op: waits until no commit is running and the log has room for this
    /// operation's worst case, then counts it as in progress.
    /// </summary>
    public void BeginOp()
    {
        if (Depth++ > 0)
            return;
        _lock.Acquire();
        while (_closed || _committing || _count + (_outstanding + 1) * MaxOpBlocks > Capacity)
            _scheduler.Sleep(this, _lock);
        _outstanding++;
        _lock.Release();
    }

    /// <summary>
    /// For a clean halt: admits no more operations (a later BeginOp sleeps until the machine
    /// stops) and waits until those in progress have ended and their commit is on disk. The
    /// caller must not be inside an operation itself, and holds no inode or buffer lock (as for
    /// BeginOp, which may sleep just the same when the log is full).
    /// </summary>
    public void Close()
    {
        if (Depth > 0)
            throw Panic.Now("log close: inside an operation");
        _lock.Acquire();
        _closed = true;
        while (_outstanding > 0 || _committing)
            _scheduler.Sleep(this, _lock);
        _lock.Release();
    }

    /// <summary>
    /// xv6's end_op: the last operation of a group commits it; the others wait for that commit,
    /// so every caller returns with its changes on disk.
    /// </summary>
    public void EndOp()
    {
        if (Depth < 1)
            throw Panic.Now("end_op: not in an operation");
        if (--Depth > 0)
            return;
        _lock.Acquire();
        if (_committing)
            throw Panic.Now("end_op: an operation ended during a commit");
        _outstanding--;
        long group = _commitsDone;
        if (_outstanding > 0)
        {
            // Room reserved for this operation's worst case is free again.
            _scheduler.Wakeup(this);
            while (_commitsDone == group)
                _scheduler.Sleep(this, _lock);
            _lock.Release();
            return;
        }
        _committing = true;
        _lock.Release();

        Commit();

        _lock.Acquire();
        _committing = false;
        _commitsDone++;
        _scheduler.Wakeup(this);
        _lock.Release();
    }

    /// <summary>
    /// xv6's log_write: records that the caller changed <paramref name="b"/> (which it holds)
    /// and keeps the block in the cache until the commit. Call it instead of writing the disk.
    /// </summary>
    public void Write(Buffer b)
    {
        if (!b.Lock.Holding())
            throw Panic.Now($"log_write {b}: buffer not locked by this thread");
        _lock.Acquire();
        if (_outstanding < 1 || Depth < 1)
        {
            _lock.Release();
            throw Panic.Now($"log_write {b}: outside an operation");
        }
        int i = Array.IndexOf(_blocks, b.BlockNumber, 0, _count);
        if (i < 0)
        {
            if (_count >= Capacity)
            {
                _lock.Release();
                throw Panic.Now($"log_write {b}: the transaction is too big for the log ({Capacity} blocks)");
            }
            _blocks[_count++] = b.BlockNumber;
            _buffers.Pin(b);
        }
        _lock.Release();
    }

    /// <summary>
    /// Redoes a committed transaction left in the log by a crash, then empties the log. Run at
    /// mount, before the buffer cache holds any block of this disk; it uses the disk directly.
    /// Returns how many blocks were installed.
    /// </summary>
    public static int Recover(BlockDevice disk, Superblock sb)
    {
        var header = new byte[FsLayout.BlockSize];
        disk.Read(sb.LogStart, header);
        uint[] homes = LogHeader.Read(header, sb, out string? problem)
            ?? throw new InvalidDataException($"log header: {problem}");
        if (homes.Length == 0)
            return 0;
        var block = new byte[FsLayout.BlockSize];
        for (int i = 0; i < homes.Length; i++)
        {
            disk.Read(sb.LogStart + 1 + (uint)i, block);
            disk.Write(homes[i], block);
        }
        LogHeader.Write(header, []);
        disk.Write(sb.LogStart, header);
        return homes.Length;
    }

    /// <summary>Steps 1-4 above. Only the committing thread runs this; _committing keeps everyone else out.</summary>
    private void Commit()
    {
        if (_count == 0)
            return;
        for (int i = 0; i < _count; i++)
            CopyToLog(i);
        WriteHeader(_count);
        for (int i = 0; i < _count; i++)
            Install(i);
        Commits++;
        BlocksCommitted += _count;
        _count = 0;
        WriteHeader(0);
    }

    private void CopyToLog(int i)
    {
        Buffer b = _buffers.Read(_device, _blocks[i]);
        _disk.Write(_start + 1 + (uint)i, b.Data);
        _buffers.Release(b);
    }

    /// <summary>Writes the cached block home and lets the cache recycle it again.</summary>
    private void Install(int i)
    {
        Buffer b = _buffers.Read(_device, _blocks[i]);
        _buffers.Write(b);
        _buffers.Unpin(b);
        _buffers.Release(b);
    }

    private void WriteHeader(int count)
    {
        var header = new byte[FsLayout.BlockSize];
        LogHeader.Write(header, _blocks.AsSpan(0, count));
        _disk.Write(_start, header);
    }
}
