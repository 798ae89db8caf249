using Osprey.Kernel.Fs;

namespace Osprey.Kernel.Syscalls;

// mknod, mkdir, link, unlink: the calls that change the tree of names. Each is one log
// operation (Fs/Names.cs does the work and keeps the link counts).
public sealed partial class SystemCalls
{
    private long Mknod()
    {
        short major = (short)ArgInt(1), minor = (short)ArgInt(2);
        return CreateNode(InodeType.Device, major, minor);
    }

    private long Mkdir() => CreateNode(InodeType.Directory, 0, 0);

    private long Link()
    {
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } existing || ArgPath(1) is not { } newPath)
            return -1;
        using HeldCwd cwd = CurrentDirectory();
        return fs.Names.Link(existing, newPath, cwd.Inode) ? 0 : -1;
    }

    private long Unlink()
    {
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path)
            return -1;
        using HeldCwd cwd = CurrentDirectory();
        return fs.Names.Unlink(path, cwd.Inode) ? 0 : -1;
    }

    private long CreateNode(InodeType type, short major, short minor)
    {
        if (kernel.FileSystem is not { } fs || ArgPath(0) is not { } path)
            return -1;
        using HeldCwd cwd = CurrentDirectory();
        fs.Log.BeginOp();
        Inode? ip = fs.Names.Create(path, cwd.Inode, type, major, minor);
        if (ip != null)
            fs.Inodes.UnlockPut(ip);
        fs.Log.EndOp();
        return ip != null ? 0 : -1;
    }
}
