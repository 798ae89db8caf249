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
        if (!ArgFile(0, out OpenFile? f) || !ArgUserRange(1, ArgInt(2), writable: true, out UserBuffer buffer))
            return -1;
        return kernel.Files.Read(f, buffer, ArgInt(2));
    }

    private long Write()
    {
        if (!ArgFile(0, out OpenFile? f) || !ArgUserRange(1, ArgInt(2), writable: false, out UserBuffer buffer))
            return -1;
        return kernel.Files.Write(f, buffer, ArgInt(2));
    }

    private long Close()
    {
        if (!ArgFile(0, out OpenFile? f))
            return -1;
        Me.Files[ArgInt(0)] = null;
        kernel.Files.Close(f);
        return 0;
    }

    private long Dup()
    {
        if (!ArgFile(0, out OpenFile? f))
            return -1;
        int fd = AllocateDescriptor(f);
        if (fd >= 0)
            kernel.Files.Dup(f);
        return fd;
    }

    private long Fstat()
    {
        if (!ArgFile(0, out OpenFile? f))
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
        fs.Log.BeginOp();
        try
        {
            Inode? ip = (flags & AbiConstants.O_CREATE) != 0
                ? fs.Names.Create(path, Me.Cwd, InodeType.File, 0, 0)
                : LockedOrNull(fs, fs.Paths.Namei(path, Me.Cwd));
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
        Inode? ip = fs.Paths.Namei(path, me.Cwd);
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
        if (me.Cwd != null)
            fs.Inodes.Put(me.Cwd);
        me.Cwd = ip;
        return 0;
    }

    private long Exec()
    {
        Process me = Me;
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path || ArgArgv(1) is not { } argv)
            return -1;
        Inode? ip = fs.Paths.Namei(path, me.Cwd);
        if (ip == null)
            return -1;
        fs.Inodes.Lock(ip);
        long result = ip.Type == InodeType.File
            ? kernel.Loader.Exec(me, new InodeExecutable(fs.Inodes, ip), LastElement(path), argv)
            : -1;
        fs.Inodes.UnlockPut(ip);
        return result;
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
        if (readFd >= 0)
            Me.Files[readFd] = null;
        if (writeFd >= 0)
            Me.Files[writeFd] = null;
        // Closing a file closes its end; an end never made is closed here directly.
        if (reader != null) kernel.Files.Close(reader); else pipe.Close(writeEnd: false);
        if (writer != null) kernel.Files.Close(writer); else pipe.Close(writeEnd: true);
        return -1;
    }

    /// <summary>Argument n as an open file descriptor of the caller.</summary>
    private static bool ArgFile(int n, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OpenFile? file)
    {
        int fd = ArgInt(n);
        file = fd >= 0 && fd < Me.Files.Length ? Me.Files[fd] : null;
        return file != null;
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
        return length >= 0 && address + (ulong)length >= address && address + (ulong)length <= Me.Size
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
        OpenFile?[] files = Me.Files;
        for (int fd = 0; fd < files.Length; fd++)
        {
            if (files[fd] == null)
            {
                files[fd] = f;
                return fd;
            }
        }
        return -1;
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
