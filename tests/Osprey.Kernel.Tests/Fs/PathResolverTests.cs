using System.Text;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.Support;
using FsDirectory = Osprey.Kernel.Fs.Directory;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>namei and nameiparent with xv6's rules, on the sample tree.</summary>
public sealed class PathResolverTests : IDisposable
{
    private readonly SchedulerHarness _harness = new(1);
    private readonly DiskImage _image = new(SampleTree.Build());
    private readonly FileSystem _fs;

    public PathResolverTests()
    {
        _fs = _image.Mount(_harness.Scheduler);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _image.Dispose();
    }

    /// <summary>What <paramref name="path"/> resolves to from the root: a path of the sample tree, "/" for the root, or null for nothing.</summary>
    [Theory]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    [InlineData(".", "/")]
    [InlineData("..", "/")]
    [InlineData("/../..", "/")]
    [InlineData("README", "README")]
    [InlineData("/README", "README")]
    [InlineData("README/", "README")] // xv6 lets a trailing slash follow a file's name
    [InlineData("//a///b//", "a/b")]
    [InlineData("a/b/c/deep", "a/b/c/deep")]
    [InlineData("/a/b/c/../middle", "a/b/middle")]
    [InlineData("a/./b/../top", "a/top")]
    [InlineData("a/b/c/", "a/b/c")]
    [InlineData("empty-dir/..", "/")]
    [InlineData("empty-dir/.", "empty-dir")]
    [InlineData("abcdefghijklmn", "abcdefghijklmn")]
    [InlineData("abcdefghijklmnXYZ", "abcdefghijklmn")] // cut to 14 bytes, as xv6 cuts it
    [InlineData("abcdefghijklm", null)]
    [InlineData("missing", null)]
    [InlineData("a/missing/deep", null)]
    [InlineData("a/b/c/deep/x", null)] // a file in the middle
    [InlineData("README/x", null)]
    [InlineData("console/x", null)]
    [InlineData("READM", null)]
    [InlineData("READMEE", null)]
    public void NameiFollowsXv6Rules(string path, string? expected)
    {
        uint inum = 99;
        _harness.Run(() => inum = KernelFiles.InumOf(_fs, path));
        uint want = expected switch
        {
            null => 0,
            "/" => FsLayout.RootInode,
            _ => SampleTree.InumOf(expected),
        };
        Assert.Equal(want, inum);
        Assert.Equal(0, InUse());
    }

    [Fact]
    public void RelativePathsStartAtTheCurrentDirectory()
    {
        var found = new Dictionary<string, uint>();
        _harness.Run(() =>
        {
            Inode cwd = KernelFiles.Resolve(_fs, "/a/b", null)!;
            foreach (string path in new[] { "middle", "../top", "c/deep", ".", "..", "../../README", "/README", "README" })
                found[path] = KernelFiles.InumOf(_fs, path, cwd);
            _fs.Inodes.Put(cwd);
        });
        Assert.Equal(SampleTree.InumOf("a/b/middle"), found["middle"]);
        Assert.Equal(SampleTree.InumOf("a/top"), found["../top"]);
        Assert.Equal(SampleTree.InumOf("a/b/c/deep"), found["c/deep"]);
        Assert.Equal(SampleTree.InumOf("a/b"), found["."]);
        Assert.Equal(SampleTree.InumOf("a"), found[".."]);
        Assert.Equal(SampleTree.InumOf("README"), found["../../README"]);
        Assert.Equal(SampleTree.InumOf("README"), found["/README"]);
        Assert.Equal(0u, found["README"]);
        Assert.Equal(0, InUse());
    }

    [Theory]
    [InlineData("a/b/middle", "a/b", "middle")]
    [InlineData("/a/b/newfile", "a/b", "newfile")] // the last element need not exist
    [InlineData("a/b/", "a", "b")]
    [InlineData("x", "/", "x")]
    [InlineData("//x//", "/", "x")]
    [InlineData("a/averyveryverylongname", "a", "averyveryveryl")]
    [InlineData("/", null, "")]
    [InlineData("", null, "")]
    [InlineData("missing/x", null, "")]
    [InlineData("README/x", null, "")]
    public void NameiParentStopsOneLevelEarly(string path, string? parent, string last)
    {
        uint inum = 99;
        byte[] name = [1];
        _harness.Run(() =>
        {
            Inode root = _fs.Root();
            Inode? dir = _fs.Paths.NameiParent(Encoding.UTF8.GetBytes(path), root, out name);
            _fs.Inodes.Put(root);
            inum = dir?.Number ?? 0;
            if (dir != null)
                _fs.Inodes.Put(dir);
        });
        uint want = parent switch
        {
            null => 0,
            "/" => FsLayout.RootInode,
            _ => SampleTree.InumOf(parent),
        };
        Assert.Equal(want, inum);
        Assert.Equal(last, Encoding.UTF8.GetString(name));
        Assert.Equal(0, InUse());
    }

    [Fact]
    public void APathEndsAtItsFirstNul()
    {
        uint inum = 0;
        _harness.Run(() =>
        {
            Inode? ip = _fs.Paths.Namei("/README\0/garbage"u8, null);
            inum = ip!.Number;
            _fs.Inodes.Put(ip);
        });
        Assert.Equal(SampleTree.InumOf("README"), inum);
    }

    [Fact]
    public void ARelativePathWithoutACurrentDirectoryIsAKernelBug()
    {
        var error = Assert.Throws<AggregateException>(() => _harness.Run(() => _fs.Paths.Namei("README"u8, null)));
        Assert.Contains("without a current directory", error.InnerException!.Message);
    }

    [Fact]
    public void DirectoryLookupReportsTheEntryOffset()
    {
        uint offset = 0, inum = 0;
        bool missing = false;
        _harness.Run(() =>
        {
            Inode root = _fs.Root();
            _fs.Inodes.Lock(root);
            Inode? ip = _fs.Directories.Lookup(root, "empty"u8, out offset);
            inum = ip!.Number;
            _fs.Inodes.Put(ip);
            missing = _fs.Directories.Lookup(root, "nothing"u8, out _) == null;
            _fs.Inodes.UnlockPut(root);
        });
        Assert.Equal(3u * 16, offset); // ".", "..", "README", then "empty"
        Assert.Equal(SampleTree.InumOf("empty"), inum);
        Assert.True(missing);
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "abcd", false)]
    [InlineData("abcdefghijklmn", "abcdefghijklmnopq", true)]
    [InlineData("abcdefghijklm", "abcdefghijklmn", false)]
    public void NamesCompareOverFourteenBytes(string a, string b, bool equal)
    {
        Assert.Equal(equal, FsDirectory.NamesEqual(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b)));
        byte[] padded = new byte[14];
        Encoding.ASCII.GetBytes(a).AsSpan(0, Math.Min(a.Length, 14)).CopyTo(padded);
        Assert.Equal(equal, FsDirectory.NamesEqual(padded, Encoding.ASCII.GetBytes(b)));
    }

    private int InUse()
    {
        int n = -1;
        _harness.Run(() => n = _fs.Inodes.InUse());
        return n;
    }
}
