using Osprey.Kernel.Exec;
using Osprey.Kernel.Files;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// read, write, close, dup, fstat, open, chdir, exec.
public sealed partial class SystemCalls
{
    private long Read()
    {
        using HeldFile held = ArgFile(0);
        if (held.File is not { } f || !ArgUserRange(1, ArgInt(2), writable: true, out UserBuffer buffer))
            return -1;
        return kernel.Files.Read(f, buffer, ArgInt(2));
    }

    private long Write()
    {
        using HeldFile held = ArgFile(0);
        if (held.File is not { } f || !ArgUserRange(1, ArgInt(2), writable: false, out UserBuffer buffer))
            return -1;
        return kernel.Files.Write(f, buffer, ArgInt(2));
    }

    /// <summary>close(fd): the slot is emptied under the files lock, and the file closed (which may sleep) outside it.</summary>
    private long Close()
    {
        Process me = Me;
        int fd = ArgInt(0);
        if (fd < 0 || fd >= me.Files.Length)
            return -1;
        me.FilesLock.Acquire();
        OpenFile? f = me.Files[fd];
        me.Files[fd] = null;
        me.FilesLock.Release();
        if (f == null)
            return -1;
        kernel.Files.Close(f);
        return 0;
    }

    private long Dup()
    {
        using HeldFile held = ArgFile(0);
        if (held.File is not { } f)
            return -1;
        int fd = AllocateDescriptor(kernel.Files.Dup(f));
        if (fd < 0)
            kernel.Files.Close(f);
        return fd;
    }

    private long Fstat()
    {
        using HeldFile held = ArgFile(0);
        if (held.File is not { } f)
            return -1;
        return kernel.Files.Stat(f, new UserBuffer(Me.PageTable!, kernel.Memory, ArgAddress(1)));
    }

    /// <summary>
    /// open(path, flags): O_CREATE makes a missing file (an existing file or device is simply
    /// opened), O_TRUNC empties a file, and directories open only for reading. One log
    /// operation, because creating and truncating write the disk.
    /// </summary>
    private long Open()
    {
        int flags = ArgInt(1);
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path)
            return -1;
        using HeldCwd cwd = CurrentDirectory();
        fs.Log.BeginOp();
        try
        {
            Inode? ip = (flags & AbiConstants.O_CREATE) != 0
                ? fs.Names.Create(path, cwd.Inode, InodeType.File, 0, 0)
                : LockedOrNull(fs, fs.Paths.Namei(path, cwd.Inode));
            if (ip == null)
                return -1;
            bool writes = (flags & (AbiConstants.O_WRONLY | AbiConstants.O_RDWR)) != 0;
            bool ok = ip.Type switch
            {
                InodeType.Directory => flags == AbiConstants.O_RDONLY, // as xv6: no writing, creating or truncating
                InodeType.Device => kernel.Devices[ip.Major] != null,
                _ => true,
            };
            short major = ip.Type == InodeType.Device ? ip.Major : (short)0;
            FileKind kind = ip.Type == InodeType.Device ? FileKind.Device : FileKind.Inode;
            OpenFile? f = ok ? kernel.Files.Allocate(kind, (flags & AbiConstants.O_WRONLY) == 0, writes, ip, major) : null;
            int fd = f == null ? -1 : AllocateDescriptor(f);
            if (fd >= 0 && (flags & AbiConstants.O_TRUNC) != 0 && ip.Type == InodeType.File)
                fs.Inodes.Truncate(ip);
            fs.Inodes.Unlock(ip);
            if (f == null)
                fs.Inodes.Put(ip);
            else if (fd < 0)
                kernel.Files.Close(f);
            return fd;
        }
        finally
        {
            fs.Log.EndOp();
        }
    }

    private static Inode? LockedOrNull(FileSystem fs, Inode? ip)
    {
        if (ip != null)
            fs.Inodes.Lock(ip);
        return ip;
    }

    private long Chdir()
    {
        Process me = Me;
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path)
            return -1;
        Inode? ip;
        using (HeldCwd cwd = CurrentDirectory())
            ip = fs.Paths.Namei(path, cwd.Inode);
        if (ip == null)
            return -1;
        fs.Inodes.Lock(ip);
        bool isDirectory = ip.Type == InodeType.Directory;
        fs.Inodes.Unlock(ip);
        if (!isDirectory)
        {
            fs.Inodes.Put(ip);
            return -1;
        }
        me.FilesLock.Acquire();
        Inode? old = me.Cwd;
        me.Cwd = ip;
        me.FilesLock.Release();
        if (old != null)
            fs.Inodes.Put(old);
        return 0;
    }

    /// <summary>
    /// exec(path, argv): loads the program into a new address space first, so that a failing
    /// exec changes nothing; then ends the task's other threads, and only then switches to it.
    /// </summary>
    private long Exec()
    {
        UserThread me = MyThread;
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path || ArgArgv(1) is not { } argv)
            return -1;
        Inode? ip;
        using (HeldCwd cwd = CurrentDirectory())
            ip = fs.Paths.Namei(path, cwd.Inode);
        if (ip == null)
            return -1;
        fs.Inodes.Lock(ip);
        LoadedImage? image = ip.Type == InodeType.File ? kernel.Loader.Load(new InodeExecutable(fs.Inodes, ip), argv) : null;
        fs.Inodes.UnlockPut(ip);
        if (image == null)
            return -1;
        if (!kernel.Lifecycle.EndOtherThreads(me))
        {
            ProgramLoader.Discard(image);
            return -1;
        }
        me.ExceptionHandler = null;
        return kernel.Loader.Commit(me.Task, me.TrapFrame, image, LastElement(path));
    }

    /// <summary>pipe(fds): a pipe's read end in fds[0] and write end in fds[1]; -1 (nothing left open) on any failure.</summary>
    private long Pipe()
    {
        ulong fdsAddress = ArgAddress(0);
        if (Files.Pipe.Create(kernel.Scheduler, kernel.Slabs, kernel.Memory) is not { } pipe)
            return -1;
        OpenFile? reader = kernel.Files.Allocate(FileKind.Pipe, readable: true, writable: false, null, 0, pipe);
        OpenFile? writer = kernel.Files.Allocate(FileKind.Pipe, readable: false, writable: true, null, 0, pipe);
        int readFd = reader == null ? -1 : AllocateDescriptor(reader);
        int writeFd = writer == null ? -1 : AllocateDescriptor(writer);
        byte[] fds = new byte[8];
        BitConverter.TryWriteBytes(fds.AsSpan(0), readFd);
        BitConverter.TryWriteBytes(fds.AsSpan(4), writeFd);
        if (readFd >= 0 && writeFd >= 0 && Me.PageTable!.CopyOut(kernel.Memory, fdsAddress, fds))
            return 0;
        FreeDescriptor(readFd);
        FreeDescriptor(writeFd);
        // Closing a file closes its end; an end never made is closed here directly.
        if (reader != null) kernel.Files.Close(reader); else pipe.Close(writeEnd: false);
        if (writer != null) kernel.Files.Close(writer); else pipe.Close(writeEnd: true);
        return -1;
    }

    /// <summary>
    /// Argument n as an open file descriptor of the caller: the file, held for the call. While
    /// the task has other threads, one of them could close the descriptor meanwhile, so the
    /// call then holds a reference of its own (as Linux's fget), dropped when it is disposed.
    /// A task with one thread needs none: only that thread could make another.
    /// </summary>
    private HeldFile ArgFile(int n)
    {
        Process me = Me;
        int fd = ArgInt(n);
        if (fd < 0 || fd >= me.Files.Length)
            return default;
        me.FilesLock.Acquire();
        OpenFile? f = me.Files[fd];
        bool own = f != null && me.ThreadCount > 1;
        if (own)
            kernel.Files.Dup(f!);
        me.FilesLock.Release();
        return new HeldFile(f, own ? kernel.Files : null);
    }

    /// <summary>The caller's working directory, held for the call in the same way as <see cref="ArgFile"/>.</summary>
    private HeldCwd CurrentDirectory()
    {
        Process me = Me;
        me.FilesLock.Acquire();
        Inode? cwd = me.Cwd;
        bool own = cwd != null && me.ThreadCount > 1;
        if (own)
            kernel.FileSystem!.Inodes.Dup(cwd!);
        me.FilesLock.Release();
        return new HeldCwd(cwd, own ? kernel.FileSystem!.Inodes : null);
    }

    /// <summary>An open file a system call uses, and the reference it holds on it if it needed one.</summary>
    private readonly ref struct HeldFile(OpenFile? file, FileTable? owner)
    {
        public OpenFile? File => file;

        public void Dispose()
        {
            if (file != null)
                owner?.Close(file);
        }
    }

    /// <summary>A working directory a system call uses, and the reference it holds on it if it needed one.</summary>
    private readonly ref struct HeldCwd(Inode? inode, InodeCache? owner)
    {
        public Inode? Inode => inode;

        public void Dispose()
        {
            if (inode != null)
                owner?.Put(inode);
        }
    }

    /// <summary>
    /// Arguments n (address) and a length: the whole range must be user memory (writable, if
    /// the kernel will write it), so a bad buffer fails before anything moves. Stricter than
    /// xv6, whose console reads and writes return 0 for these.
    /// </summary>
    private bool ArgUserRange(int n, int length, bool writable, out UserBuffer buffer)
    {
        ulong address = ArgAddress(n);
        PageTable table = Me.PageTable!;
        buffer = new UserBuffer(table, kernel.Memory, address);
        return length >= 0 && address + (ulong)length >= address
            && (address + (ulong)length <= Me.Size || table.Regions.Contains(address, (ulong)length))
            && table.Accessible(address, (ulong)length, writable);
    }

    /// <summary>Argument n as a path string of at most MAXPATH bytes, or null.</summary>
    private byte[]? ArgPath(int n) => Me.PageTable!.CopyInString(kernel.Memory, ArgAddress(n), AbiConstants.MAXPATH - 1);

    /// <summary>Argument n as exec's argv: at most MAXARG strings of at most a page each, or null.</summary>
    private List<byte[]>? ArgArgv(int n)
    {
        PageTable table = Me.PageTable!;
        ulong argv = ArgAddress(n);
        var args = new List<byte[]>();
        for (int i = 0; ; i++)
        {
            if (i > AbiConstants.MAXARG || !table.ReadUInt64(kernel.Memory, argv + (ulong)i * 8, out ulong pointer))
                return null;
            if (pointer == 0)
                return args;
            if (i == AbiConstants.MAXARG)
                return null;
            byte[]? arg = table.CopyInString(kernel.Memory, pointer, (int)PageTable.PageSize - 1);
            if (arg == null)
                return null;
            args.Add(arg);
        }
    }

    private static int AllocateDescriptor(OpenFile f)
    {
        Process me = Me;
        me.FilesLock.Acquire();
        int fd = Array.IndexOf(me.Files, null);
        if (fd >= 0)
            me.Files[fd] = f;
        me.FilesLock.Release();
        return fd;
    }

    /// <summary>Empties a descriptor slot this call filled (a failing pipe), without closing the file.</summary>
    private static void FreeDescriptor(int fd)
    {
        if (fd < 0)
            return;
        Process me = Me;
        me.FilesLock.Acquire();
        me.Files[fd] = null;
        me.FilesLock.Release();
    }

    private static string LastElement(byte[] path)
    {
        int end = path.Length;
        while (end > 0 && path[end - 1] == '/')
            end--;
        int start = Array.LastIndexOf(path, (byte)'/', Math.Max(end - 1, 0)) + 1;
        return System.Text.Encoding.UTF8.GetString(path, start, Math.Max(end - start, 0));
    }
}
