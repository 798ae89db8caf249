namespace Osprey.Kernel.Fs;

/// <summary>
/// Operations on the tree of names (xv6's create, sys_link and sys_unlink): making a new file,
/// directory or device node, adding a second name for a file, and removing a name. Each keeps
/// the link counts true: a file's nlink is the number of directory entries naming it; a
/// directory's is one for its entry in its parent plus one for each subdirectory's "..". (The
/// "." entry is not counted, so that a directory's count can fall to zero.)
///
/// Lock order: a directory before an inode in it, as in a path walk. Unlink and link never
/// lock two directories, and a directory is never locked while an inode it contains is held
/// locked, so these cannot deadlock with each other or with path walks.
/// </summary>
public sealed class Names(FileSystem fs)
{
    private static ReadOnlySpan<byte> Dot => "."u8;
    private static ReadOnlySpan<byte> DotDot => ".."u8;

    /// <summary>
    /// xv6's create: makes <paramref name="path"/> a new inode of <paramref name="type"/> and
    /// returns it referenced and locked. If the name exists already, opening it with O_CREATE
    /// (<paramref name="type"/> File) returns the existing file or device, locked; any other
    /// existing name is a failure. Null on failure: a missing or non-directory parent, an
    /// existing name, a parent that has been removed, no free inode, or a full disk.
    /// The caller is inside a log operation.
    /// </summary>
    public Inode? Create(ReadOnlySpan<byte> path, Inode? cwd, InodeType type, short major, short minor)
    {
        Inode? dir = fs.Paths.NameiParent(path, cwd, out byte[] name);
        if (dir == null)
            return null;
        InodeCache inodes = fs.Inodes;
        inodes.Lock(dir);

        Inode? ip = fs.Directories.Lookup(dir, name, out _);
        if (ip != null)
        {
            inodes.UnlockPut(dir);
            inodes.Lock(ip);
            if (type == InodeType.File && ip.Type is InodeType.File or InodeType.Device)
                return ip;
            inodes.UnlockPut(ip);
            return null;
        }
        // A directory that has been unlinked (someone's cwd keeps it alive) takes no new names:
        // they would be lost with it.
        if (dir.Nlink == 0 || IsDotName(name))
        {
            inodes.UnlockPut(dir);
            return null;
        }
        ip = inodes.Allocate(type);
        if (ip == null)
        {
            inodes.UnlockPut(dir);
            return null;
        }
        inodes.LockChild(ip);
        ip.Major = major;
        ip.Minor = minor;
        ip.Nlink = 1;
        inodes.Update(ip);

        if (!FillNewNode(dir, ip, type) || !fs.Directories.Link(dir, name, ip.Number))
        {
            // Undo: nlink 0 makes the last Put free the inode and whatever blocks it got.
            ip.Nlink = 0;
            inodes.Update(ip);
            inodes.UnlockPut(ip);
            inodes.UnlockPut(dir);
            return null;
        }
        if (type == InodeType.Directory)
        {
            dir.Nlink++; // the child's ".."
            inodes.Update(dir);
        }
        inodes.UnlockPut(dir);
        return ip;
    }

    /// <summary>
    /// xv6's sys_link: gives the file <paramref name="existing"/> the second name
    /// <paramref name="newPath"/>. Fails for a missing file, a directory (no hard links to
    /// directories: they would allow cycles), a missing parent, or an existing new name.
    /// </summary>
    public bool Link(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> newPath, Inode? cwd)
    {
        InodeCache inodes = fs.Inodes;
        fs.Log.BeginOp();
        try
        {
            Inode? ip = fs.Paths.Namei(existing, cwd);
            if (ip == null)
                return false;
            inodes.Lock(ip);
            if (ip.Type == InodeType.Directory)
            {
                inodes.UnlockPut(ip);
                return false;
            }
            // Counted before the new entry exists, so a crash can only leave a count one too
            // high (the log makes even that impossible, but the order is the safe one).
            ip.Nlink++;
            inodes.Update(ip);
            inodes.Unlock(ip);

            Inode? dir = fs.Paths.NameiParent(newPath, cwd, out byte[] name);
            bool linked = false;
            if (dir != null)
            {
                inodes.Lock(dir);
                linked = dir.Device == ip.Device && dir.Nlink > 0 && fs.Directories.Link(dir, name, ip.Number);
                inodes.UnlockPut(dir);
            }
            inodes.Lock(ip);
            if (!linked)
            {
                ip.Nlink--;
                inodes.Update(ip);
            }
            inodes.UnlockPut(ip);
            return linked;
        }
        finally
        {
            fs.Log.EndOp();
        }
    }

    /// <summary>
    /// xv6's sys_unlink: removes the name <paramref name="path"/>. The inode itself goes when its
    /// last name is gone and nobody has it open (its last Put). Fails for a missing name,
    /// "." or "..", or a directory that is not empty.
    /// </summary>
    public bool Unlink(ReadOnlySpan<byte> path, Inode? cwd)
    {
        InodeCache inodes = fs.Inodes;
        fs.Log.BeginOp();
        try
        {
            Inode? dir = fs.Paths.NameiParent(path, cwd, out byte[] name);
            if (dir == null)
                return false;
            inodes.Lock(dir);
            uint offset = 0;
            Inode? ip = IsDotName(name) ? null : fs.Directories.Lookup(dir, name, out offset);
            if (ip == null)
            {
                inodes.UnlockPut(dir);
                return false;
            }
            inodes.LockChild(ip);
            if (ip.Nlink < 1)
                throw Panic.Now($"unlink {ip}: named in {dir} but its link count is {ip.Nlink}");
            if (ip.Type == InodeType.Directory && !fs.Directories.IsEmpty(ip))
            {
                inodes.UnlockPut(ip);
                inodes.UnlockPut(dir);
                return false;
            }
            fs.Directories.RemoveAt(dir, offset);
            if (ip.Type == InodeType.Directory)
            {
                dir.Nlink--; // the child's ".." is gone with it
                inodes.Update(dir);
            }
            inodes.UnlockPut(dir);
            ip.Nlink--;
            inodes.Update(ip);
            inodes.UnlockPut(ip);
            return true;
        }
        finally
        {
            fs.Log.EndOp();
        }
    }

    /// <summary>A new directory gets "." and ".."; other nodes need nothing.</summary>
    private bool FillNewNode(Inode dir, Inode ip, InodeType type)
    {
        if (type != InodeType.Directory)
            return true;
        return fs.Directories.Link(ip, Dot, ip.Number) && fs.Directories.Link(ip, DotDot, dir.Number);
    }

    private static bool IsDotName(ReadOnlySpan<byte> name) =>
        Directory.NamesEqual(name, Dot) || Directory.NamesEqual(name, DotDot);
}
