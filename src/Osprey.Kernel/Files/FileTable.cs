using Osprey.Kernel.Fs;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Files;

/// <summary>
/// Every open file in the system, up to <see cref="Capacity"/> (xv6's NFILE), and the
/// operations on them: read, write, stat, dup and close. <see cref="_lock"/> protects the
/// count of open files and every file's reference count. Lock order: ftable, then an
/// inode's sleep lock is never taken while holding it (close releases it first).
/// </summary>
public sealed class FileTable(FileSystem? fileSystem, DeviceTable devices, int capacity = FileTable.DefaultCapacity)
{
    /// <summary>Open files in the whole system (xv6's NFILE).</summary>
    public const int DefaultCapacity = 100;

    private readonly Spinlock _lock = new("ftable");
    private int _open;

    public int Capacity => capacity;

    public int OpenCount => _open;

    /// <summary>A new open file with one reference, or null when the table is full.</summary>
    public OpenFile? Allocate(FileKind kind, bool readable, bool writable, Inode? inode, short major, Pipe? pipe = null)
    {
        _lock.Acquire();
        OpenFile? f = null;
        if (_open < capacity)
        {
            _open++;
            f = new OpenFile(kind, readable, writable, inode, major, pipe);
        }
        _lock.Release();
        return f;
    }

    public OpenFile Dup(OpenFile f)
    {
        _lock.Acquire();
        if (f.References < 1)
            throw Panic.Now("filedup: file not open");
        f.References++;
        _lock.Release();
        return f;
    }

    /// <summary>Drops a reference; the last one releases the inode.</summary>
    public void Close(OpenFile f)
    {
        _lock.Acquire();
        if (f.References < 1)
            throw Panic.Now("fileclose: file not open");
        bool last = --f.References == 0;
        if (last)
            _open--;
        _lock.Release();
        if (last && f.Pipe != null)
            f.Pipe.Close(writeEnd: f.Writable);
        else if (last && f.Inode != null)
            fileSystem!.Inodes.Put(f.Inode);
    }

    /// <summary>Writes the file's struct stat to user memory; -1 if the address is bad.</summary>
    public int Stat(OpenFile f, UserBuffer destination)
    {
        if (f.Inode == null)
            return -1;
        InodeCache inodes = fileSystem!.Inodes;
        inodes.Lock(f.Inode);
        FileStat st = inodes.Stat(f.Inode);
        inodes.Unlock(f.Inode);
        return destination.CopyOut(0, st.ToBytes()) ? 0 : -1;
    }

    public int Read(OpenFile f, UserBuffer destination, int count)
    {
        if (!f.Readable)
            return -1;
        switch (f.Kind)
        {
            case FileKind.Device:
                return devices[f.Major]?.Read(destination, count) ?? -1;
            case FileKind.Pipe:
                return f.Pipe!.Read(destination, count);
            default:
                InodeCache inodes = fileSystem!.Inodes;
                inodes.Lock(f.Inode!);
                int n = inodes.ReadToUser(f.Inode!, f.Offset, destination.Address, count,
                    (va, bytes) => destination.CopyOut(va - destination.Address, bytes));
                if (n > 0)
                    f.Offset += (ulong)n;
                inodes.Unlock(f.Inode!);
                return n;
        }
    }

    public int Write(OpenFile f, UserBuffer source, int count)
    {
        if (!f.Writable)
            return -1;
        return f.Kind switch
        {
            FileKind.Device => devices[f.Major]?.Write(source, count) ?? -1,
            FileKind.Pipe => f.Pipe!.Write(source, count),
            _ => WriteInode(f, source, count),
        };
    }

    /// <summary>
    /// xv6's filewrite for files on disk: the data goes in pieces small enough for one log
    /// operation each, so a large write is several transactions (a crash may keep a prefix of
    /// it, never a torn block). Each piece is copied in from user memory before the operation
    /// begins, so a fault cannot strand a half-made transaction. Returns the bytes written:
    /// fewer than asked when the disk filled, -1 when nothing could be written.
    /// </summary>
    private int WriteInode(OpenFile f, UserBuffer source, int count)
    {
        FileSystem fs = fileSystem!;
        Span<byte> piece = stackalloc byte[InodeCache.MaxWritePerOperation];
        int done = 0;
        while (done < count)
        {
            int n = Math.Min(count - done, piece.Length);
            if (!source.CopyIn((ulong)done, piece[..n]))
                break;
            fs.Log.BeginOp();
            fs.Inodes.Lock(f.Inode!);
            int written = fs.Inodes.Write(f.Inode!, f.Offset, piece[..n]);
            if (written > 0)
                f.Offset += (ulong)written;
            fs.Inodes.Unlock(f.Inode!);
            fs.Log.EndOp();
            if (written > 0)
                done += written;
            if (written != n)
                break;
        }
        return done > 0 || count == 0 ? done : -1;
    }
}
