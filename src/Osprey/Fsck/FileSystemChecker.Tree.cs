using System.Buffers.Binary;
using System.Text;
using Osprey.Kernel.Fs;

namespace Osprey.Fsck;

// Steps 6-8: the tree of directories from the root, then every allocated inode's link count
// against the names the walk found for it.
public sealed partial class FileSystemChecker
{
    /// <summary>Per inode: entries naming it (other than "." and "..") in directories reached from the root.</summary>
    private readonly int[] _names;

    /// <summary>Per directory: its entries that name directories (each such child's ".." counts in its nlink).</summary>
    private readonly int[] _subdirectories;

    /// <summary>Per directory reached: the directory it was reached from (the root's is itself).</summary>
    private readonly uint[] _treeParent;

    /// <summary>Per inode: the first path the walk found for it; for directories, also "reached".</summary>
    private readonly string?[] _pathOf;

    /// <summary>Step 6: each directory is reached from one entry only, so the walk cannot loop.</summary>
    private void WalkTree()
    {
        uint root = FsLayout.RootInode;
        _pathOf[root] = "/";
        _treeParent[root] = root;
        var pending = new Stack<uint>();
        pending.Push(root);
        while (pending.TryPop(out uint dir))
            CheckDirectory(dir, pending);
    }

    private void CheckDirectory(uint dir, Stack<uint> pending)
    {
        string where = $"directory {_pathOf[dir]} (inode {dir})";
        bool dot = false, dotdot = false;
        var seen = new HashSet<string>();
        foreach (DirectoryEntry e in ReadEntries(dir))
        {
            if (e.IsFree)
                continue;
            if (Kernel.Fs.Directory.NamesEqual(e.Name, "."u8))
            {
                dot = true;
                if (e.Inum != dir)
                    _report.Problem($"{where}: '.' names inode {e.Inum}, not itself");
            }
            else if (Kernel.Fs.Directory.NamesEqual(e.Name, ".."u8))
            {
                dotdot = true;
                if (e.Inum != _treeParent[dir])
                    _report.Problem($"{where}: '..' names inode {e.Inum}, not its parent (inode {_treeParent[dir]})");
            }
            else
            {
                if (!seen.Add(Encoding.Latin1.GetString(e.Name)))
                    _report.Problem($"{where}: two entries named '{Printable(e.Name)}'");
                CheckEntry(dir, where, e, pending);
            }
        }
        if (!dot)
            _report.Problem($"{where}: no '.' entry");
        if (!dotdot)
            _report.Problem($"{where}: no '..' entry");
    }

    private void CheckEntry(uint dir, string where, DirectoryEntry e, Stack<uint> pending)
    {
        uint target = e.Inum;
        string name = Printable(e.Name);
        if (target >= _sb.Inodes)
        {
            _report.Problem($"{where}: entry '{name}' names inode {target}, outside 1..{_sb.Inodes - 1}");
            return;
        }
        DiskInode? d = _inodes[target];
        if (d == null)
        {
            // An inode of unknown type has its own problem line already.
            if (_image.ReadInode(target).Type == InodeType.Free)
                _report.Problem($"{where}: entry '{name}' names inode {target}, which is free");
            return;
        }
        _names[target]++;
        string path = _pathOf[dir] == "/" ? "/" + name : $"{_pathOf[dir]}/{name}";
        if (d.Type != InodeType.Directory)
        {
            _pathOf[target] ??= path;
            return;
        }
        _subdirectories[dir]++;
        if (_pathOf[target] is { } earlier)
        {
            _report.Problem(Contains(target, dir)
                ? $"{where}: entry '{name}' names directory inode {target} ({earlier}), which contains it: a cycle"
                : $"{where}: entry '{name}' names directory inode {target}, already reached as {earlier}: a second link to a directory");
            return;
        }
        _pathOf[target] = path;
        _treeParent[target] = dir;
        pending.Push(target);
    }

    /// <summary>Whether <paramref name="dir"/> lies inside <paramref name="ancestor"/> (or is it), following the walk's tree.</summary>
    private bool Contains(uint ancestor, uint dir)
    {
        for (uint x = dir; ; x = _treeParent[x])
        {
            if (x == ancestor)
                return true;
            if (x == FsLayout.RootInode)
                return false;
        }
    }

    /// <summary>
    /// A directory's entries, read without trusting its block numbers: a block outside the data
    /// blocks (reported by the block check) reads as zeros, that is, as free entries.
    /// </summary>
    private List<DirectoryEntry> ReadEntries(uint dir)
    {
        DiskInode d = _inodes[dir]!;
        var contents = new byte[Math.Min(d.Size, FsLayout.MaxFileSize)];
        for (int fileBlock = 0; fileBlock * FsLayout.BlockSize < contents.Length; fileBlock++)
        {
            uint block = DataBlockOf(d, fileBlock);
            int start = fileBlock * FsLayout.BlockSize;
            if (block != 0)
                _image.Block(block)[..Math.Min(FsLayout.BlockSize, contents.Length - start)].CopyTo(contents.AsSpan(start));
        }
        var entries = new List<DirectoryEntry>();
        for (int off = 0; off + DirectoryEntry.EncodedLength <= contents.Length; off += DirectoryEntry.EncodedLength)
            entries.Add(DirectoryEntry.Parse(contents.AsSpan(off)));
        return entries;
    }

    /// <summary>The data block holding file block <paramref name="fileBlock"/>, or 0 for none or one outside the data blocks.</summary>
    private uint DataBlockOf(DiskInode d, int fileBlock)
    {
        uint block;
        if (fileBlock < FsLayout.DirectBlocks)
        {
            block = d.Addresses[fileBlock];
        }
        else
        {
            uint indirect = d.Addresses[DiskInode.IndirectSlot];
            if (!IsDataBlock(indirect))
                return 0;
            block = BinaryPrimitives.ReadUInt32LittleEndian(_image.Block(indirect)[((fileBlock - FsLayout.DirectBlocks) * sizeof(uint))..]);
        }
        return IsDataBlock(block) ? block : 0;
    }

    private bool IsDataBlock(uint block) => block >= _dataStart && block < _sb.Size;

    /// <summary>Steps 7 and 8: link counts against the names found, and inodes nothing names.</summary>
    private void CheckLinkCounts()
    {
        for (uint inum = 1; inum < _sb.Inodes; inum++)
        {
            if (_inodes[inum] is not { } d)
                continue;
            string kind = d.Type.ToString().ToLowerInvariant();
            if (inum != FsLayout.RootInode && _names[inum] == 0)
            {
                if (d.Nlink == 0 && _report.State == FileSystemState.Clean)
                    _report.Problem($"inode {inum}: a leaked {kind} (nlink 0, named by no directory, on an image shut down cleanly: nothing held it open)");
                else if (d.Nlink == 0)
                    _report.Warning($"inode {inum}: an orphan {kind} (nlink 0, named by no directory: unlinked while open when the machine stopped); the next boot frees it");
                else
                    _report.Problem($"inode {inum}: a {kind} with nlink {d.Nlink} that no directory names (lost)");
                continue;
            }
            if (d.Type != InodeType.Directory)
            {
                if (d.Nlink != _names[inum])
                    _report.Problem($"{Describe(inum)}: nlink is {d.Nlink}, but {(_names[inum] == 1 ? "1 directory entry names" : $"{_names[inum]} directory entries name")} it");
                continue;
            }
            int names = inum == FsLayout.RootInode ? 1 : _names[inum];
            int expected = names + _subdirectories[inum];
            if (d.Nlink != expected)
            {
                _report.Problem($"{Describe(inum)}: nlink is {d.Nlink}, but it has {Count(names, "name", "names")} and "
                    + $"{Count(_subdirectories[inum], "subdirectory", "subdirectories")}, so {expected}");
            }
        }
    }

    /// <summary>A name as it may appear in a one-line message: control characters (a newline, say) as \xNN.</summary>
    private static string Printable(ReadOnlySpan<byte> name)
    {
        var text = new StringBuilder();
        foreach (char c in Encoding.UTF8.GetString(name))
            text.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        return text.ToString();
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
