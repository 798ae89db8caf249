namespace Osprey.Machine.Devices;

/// <summary>
/// A disk backed by an image file, read and written in whole blocks of <see cref="BlockSize"/>
/// bytes (the xv6 file system's block). Transfers are synchronous: the kernel calls from the
/// thread that needs the block, holding that buffer's sleep lock, so no completion interrupt is
/// needed. Safe for concurrent calls on different blocks.
/// </summary>
public sealed class BlockDevice : IDisposable
{
    public const int BlockSize = 1024;

    private readonly FileStream _file;
    private readonly object _gate = new();

    public BlockDevice(string path, bool writable = true)
    {
        _file = new FileStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        if (_file.Length % BlockSize != 0)
            throw new InvalidDataException($"size {_file.Length} is not a whole number of {BlockSize}-byte blocks");
        BlockCount = _file.Length / BlockSize;
        Writable = writable;
    }

    public long BlockCount { get; }

    public bool Writable { get; }

    /// <summary>Blocks read and written since the device was opened.</summary>
    public long Reads { get; private set; }
    public long Writes { get; private set; }

    public void Read(long block, Span<byte> destination)
    {
        Check(block, destination.Length);
        lock (_gate)
        {
            _file.Position = block * BlockSize;
            _file.ReadExactly(destination);
            Reads++;
        }
    }

    public void Write(long block, ReadOnlySpan<byte> source)
    {
        Check(block, source.Length);
        if (!Writable)
            throw new InvalidOperationException("the disk is read-only");
        lock (_gate)
        {
            _file.Position = block * BlockSize;
            _file.Write(source);
            Writes++;
        }
    }

    private void Check(long block, int length)
    {
        if (length != BlockSize)
            throw new ArgumentException($"transfers are whole {BlockSize}-byte blocks, not {length} bytes");
        if ((ulong)block >= (ulong)BlockCount)
            throw new ArgumentOutOfRangeException(nameof(block), block, $"the disk has {BlockCount} blocks");
    }

    public void Dispose() => _file.Dispose();
}
