namespace Osprey.Machine.Devices;

/// <summary>
/// A disk backed by an image file, read and written in whole blocks of <see cref="BlockSize"/>
/// bytes (the xv6 file system's block). Transfers are synchronous: the kernel calls from the
/// thread that needs the block, holding that buffer's sleep lock, so no completion interrupt is
/// needed. Safe for concurrent calls on different blocks.
///
/// Fault injection (<see cref="StopAfterWrites"/>): the disk can be told to stop after a number
/// of writes, as if the power failed at that instant. The writes before the stop are on the
/// image (the file is unbuffered); every later write is dropped, so the image stays exactly as
/// it was when the last write landed. Reads still answer from the image until the device is
/// disposed; after that a transfer on a stopped device never returns, the way a CPU without
/// power executes nothing more (it must not throw into a kernel that is being torn down).
/// </summary>
public sealed class BlockDevice : IDisposable
{
    public const int BlockSize = 1024;

    private readonly FileStream _file;
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _stopped = new();

    // Guarded by _gate: writes still allowed before the stop (-1: no stop armed), whether the
    // stop has happened, and whether the file is closed.
    private long _writesLeft = -1;
    private bool _hasStopped;
    private bool _disposed;
    private Action? _onStop;

    public BlockDevice(string path, bool writable = true)
    {
        _file = new FileStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        if (_file.Length % BlockSize != 0)
        {
            _file.Dispose();
            throw new InvalidDataException($"size {_file.Length} is not a whole number of {BlockSize}-byte blocks");
        }
        BlockCount = _file.Length / BlockSize;
        Writable = writable;
    }

    public long BlockCount { get; }

    public bool Writable { get; }

    /// <summary>Blocks read and written since the device was opened (dropped writes not counted).</summary>
    public long Reads { get; private set; }
    public long Writes { get; private set; }

    /// <summary>Writes that came after the stop and never reached the image.</summary>
    public long DroppedWrites { get; private set; }

    /// <summary>Whether the disk has stopped (see <see cref="StopAfterWrites"/>).</summary>
    public bool HasStopped => _stopped.IsSet;

    /// <summary>Blocks until the disk stops or the timeout passes; true if it stopped.</summary>
    public bool WaitUntilStopped(TimeSpan timeout) => _stopped.Wait(timeout);

    /// <summary>
    /// Arms fault injection: the next <paramref name="writes"/> writes land, then the disk stops
    /// (0 stops it now). <paramref name="stopped"/> is called once, on the thread whose write
    /// was the last to land, before that write returns, so that a caller which halts the
    /// machine there halts it before that thread can act on anything that came later.
    /// </summary>
    public void StopAfterWrites(long writes, Action? stopped = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writes);
        if (!Writable)
            throw new InvalidOperationException("a read-only disk has no writes to stop after");
        lock (_gate)
        {
            if (_writesLeft >= 0 || _hasStopped)
                throw new InvalidOperationException("the disk's stop is already armed");
            _writesLeft = writes;
            _onStop = stopped;
            if (writes > 0)
                return;
            _hasStopped = true;
        }
        AnnounceStop();
    }

    public void Read(long block, Span<byte> destination)
    {
        Check(block, destination.Length);
        lock (_gate)
        {
            if (!PowerLost())
            {
                _file.Position = block * BlockSize;
                _file.ReadExactly(destination);
                Reads++;
                return;
            }
        }
        Freeze();
    }

    public void Write(long block, ReadOnlySpan<byte> source)
    {
        Check(block, source.Length);
        if (!Writable)
            throw new InvalidOperationException("the disk is read-only");
        bool last;
        lock (_gate)
        {
            if (PowerLost())
            {
                last = false;
            }
            else if (_hasStopped)
            {
                DroppedWrites++;
                return;
            }
            else
            {
                _file.Position = block * BlockSize;
                _file.Write(source);
                Writes++;
                if (_writesLeft < 0 || --_writesLeft > 0)
                    return;
                _hasStopped = true;
                last = true;
            }
        }
        if (last)
            AnnounceStop();
        else
            Freeze();
    }

    /// <summary>Caller holds _gate. A stopped disk that has also been closed: nothing answers any more.</summary>
    private bool PowerLost() => _hasStopped && _disposed;

    private void AnnounceStop()
    {
        _stopped.Set();
        _onStop?.Invoke();
    }

    /// <summary>The calling thread is a CPU whose machine lost power: it does nothing more, ever.</summary>
    private static void Freeze() => Thread.Sleep(Timeout.Infinite);

    private void Check(long block, int length)
    {
        if (length != BlockSize)
            throw new ArgumentException($"transfers are whole {BlockSize}-byte blocks, not {length} bytes");
        if ((ulong)block >= (ulong)BlockCount)
            throw new ArgumentOutOfRangeException(nameof(block), block, $"the disk has {BlockCount} blocks");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _file.Dispose();
        }
    }
}
