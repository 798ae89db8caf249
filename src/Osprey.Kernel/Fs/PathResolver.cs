namespace Osprey.Kernel.Fs;

/// <summary>
/// Path names to inodes (xv6's namei, nameiparent and namex). A path is a run of elements
/// separated by any number of slashes. One that starts with '/' is walked from the root,
/// any other from the caller's current directory. Elements longer than 14 bytes are cut to
/// 14, as xv6 cuts them, so "averyveryverylongname" finds the entry "averyveryveryl".
///
/// The walk holds a reference to one directory at a time and locks it only while looking in
/// it: the next inode is referenced before the current one is unlocked and released, so no
/// two inode locks are ever held together, and a concurrent rename or unlink (later) sees a
/// consistent directory. "." and ".." are looked up like any other name.
/// </summary>
public sealed class PathResolver
{
    private readonly InodeCache _inodes;
    private readonly Directory _directories;

    public PathResolver(InodeCache inodes, Directory directories)
    {
        _inodes = inodes;
        _directories = directories;
    }

    /// <summary>
    /// The inode <paramref name="path"/> names, referenced and unlocked (the caller Puts it), or
    /// null if some element is missing or a non-final element is not a directory. An empty path
    /// names <paramref name="cwd"/>. The path ends at its first NUL, if it has one.
    /// </summary>
    public Inode? Namei(ReadOnlySpan<byte> path, Inode? cwd) => Walk(path, cwd, stopAtParent: false, out _);

    /// <summary>
    /// The directory that would hold <paramref name="path"/>'s last element, referenced and
    /// unlocked, with that element (at most 14 bytes) in <paramref name="lastName"/>; null if
    /// the path has no element ("/", "") or a directory on the way is missing. The last element
    /// itself need not exist: this is how create and unlink find where to work.
    /// </summary>
    public Inode? NameiParent(ReadOnlySpan<byte> path, Inode? cwd, out byte[] lastName) => Walk(path, cwd, stopAtParent: true, out lastName);

    private Inode? Walk(ReadOnlySpan<byte> path, Inode? cwd, bool stopAtParent, out byte[] lastName)
    {
        lastName = [];
        int nul = path.IndexOf((byte)0);
        if (nul >= 0)
            path = path[..nul];

        Inode ip;
        if (path.Length > 0 && path[0] == (byte)'/')
            ip = _inodes.Get(FsLayout.RootInode);
        else
            ip = _inodes.Dup(cwd ?? throw Panic.Now("namei: relative path without a current directory"));

        int position = 0;
        while (NextElement(path, ref position, out ReadOnlySpan<byte> name))
        {
            _inodes.Lock(ip);
            if (ip.Type != InodeType.Directory)
            {
                _inodes.UnlockPut(ip);
                return null;
            }
            if (stopAtParent && position == path.Length)
            {
                // The last element: hand back its directory without looking it up.
                _inodes.Unlock(ip);
                lastName = name.ToArray();
                return ip;
            }
            Inode? next = _directories.Lookup(ip, name, out _);
            _inodes.UnlockPut(ip);
            if (next == null)
                return null;
            ip = next;
        }
        if (stopAtParent)
        {
            _inodes.Put(ip);
            return null;
        }
        return ip;
    }

    /// <summary>
    /// xv6's skipelem: skips slashes, takes the next element (cut to 14 bytes) into
    /// <paramref name="name"/>, and skips the slashes after it, so that
    /// <paramref name="position"/> reaches the end exactly when the element was the last
    /// ("a/b/" ends after "b" just as "a/b" does). False when no element is left.
    /// </summary>
    public static bool NextElement(ReadOnlySpan<byte> path, ref int position, out ReadOnlySpan<byte> name)
    {
        while (position < path.Length && path[position] == (byte)'/')
            position++;
        if (position == path.Length)
        {
            name = default;
            return false;
        }
        int start = position;
        while (position < path.Length && path[position] != (byte)'/')
            position++;
        name = path[start..Math.Min(position, start + FsLayout.NameLength)];
        while (position < path.Length && path[position] == (byte)'/')
            position++;
        return true;
    }
}
