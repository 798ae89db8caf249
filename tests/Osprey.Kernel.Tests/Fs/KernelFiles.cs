using System.Text;
using Osprey.Kernel.Fs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// What the system calls will do, done directly through the kernel's path, inode and readi
/// code, for tests. Must run on a kernel thread (inside SchedulerHarness.Run).
/// </summary>
internal static class KernelFiles
{
    /// <summary>The whole file at <paramref name="path"/>, read in reads of <paramref name="chunk"/> bytes; null if it does not exist.</summary>
    public static byte[]? ReadAll(FileSystem fs, string path, int chunk, Inode? cwd = null)
    {
        Inode? ip = Resolve(fs, path, cwd);
        if (ip == null)
            return null;
        fs.Inodes.Lock(ip);
        try
        {
            var contents = new List<byte>((int)ip.Size);
            var piece = new byte[chunk];
            int n;
            while ((n = fs.Inodes.Read(ip, (ulong)contents.Count, piece)) > 0)
                contents.AddRange(piece.AsSpan(0, n));
            return contents.ToArray();
        }
        finally
        {
            fs.Inodes.UnlockPut(ip);
        }
    }

    /// <summary>The inode number <paramref name="path"/> names, or 0 if none.</summary>
    public static uint InumOf(FileSystem fs, string path, Inode? cwd = null)
    {
        Inode? ip = Resolve(fs, path, cwd);
        if (ip == null)
            return 0;
        uint inum = ip.Number;
        fs.Inodes.Put(ip);
        return inum;
    }

    /// <summary>stat(path), or null.</summary>
    public static FileStat? Stat(FileSystem fs, string path)
    {
        Inode? ip = Resolve(fs, path, null);
        if (ip == null)
            return null;
        fs.Inodes.Lock(ip);
        FileStat st = fs.Inodes.Stat(ip);
        fs.Inodes.UnlockPut(ip);
        return st;
    }

    /// <summary>A directory's entries, read as a user program reads them: 16-byte records of the directory inode.</summary>
    public static List<DirectoryEntry> List(FileSystem fs, string path)
    {
        byte[] raw = ReadAll(fs, path, DirectoryEntry.EncodedLength) ?? throw new FileNotFoundException(path);
        var entries = new List<DirectoryEntry>();
        for (int off = 0; off < raw.Length; off += DirectoryEntry.EncodedLength)
            entries.Add(DirectoryEntry.Parse(raw.AsSpan(off)));
        return entries;
    }

    /// <summary>namei, with the root as the current directory unless <paramref name="cwd"/> is given.</summary>
    public static Inode? Resolve(FileSystem fs, string path, Inode? cwd)
    {
        if (cwd != null)
            return fs.Paths.Namei(Encoding.UTF8.GetBytes(path), cwd);
        Inode root = fs.Root();
        try
        {
            return fs.Paths.Namei(Encoding.UTF8.GetBytes(path), root);
        }
        finally
        {
            fs.Inodes.Put(root);
        }
    }
}
