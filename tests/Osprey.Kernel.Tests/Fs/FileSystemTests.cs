using System.Buffers.Binary;
using System.Collections.Concurrent;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.Support;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>mkfs, then mount, then read everything back through the kernel's own code.</summary>
public class FileSystemTests
{
    private static readonly int[] ChunkSizes = [7, 100, 1024, 1500, 4096, 300_000];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryFileReadsBackByteForByteInReadsOfAnySize(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler);
        var results = new ConcurrentDictionary<(string, int), byte[]?>();

        // One thread a file, all at once.
        harness.Run(SampleTree.Files.Keys.Select(path => (Action)(() =>
        {
            foreach (int chunk in ChunkSizes)
                results[(path, chunk)] = KernelFiles.ReadAll(fs, path, chunk);
            if (SampleTree.Files[path].Length <= 4096)
                results[(path, 1)] = KernelFiles.ReadAll(fs, path, 1);
        })).ToArray());

        foreach (((string path, int chunk), byte[]? contents) in results)
        {
            Assert.True(contents != null, $"{path} not found");
            Assert.True(SampleTree.Files[path].AsSpan().SequenceEqual(contents), $"{path} differs when read {chunk} bytes at a time");
        }
        Assert.Equal(SampleTree.Files.Count * ChunkSizes.Length, results.Keys.Count(k => k.Item2 != 1));
        int leaked = -1;
        harness.Run(() => leaked = fs.Inodes.InUse());
        Assert.Equal(0, leaked);
    }

    [Fact]
    public void ADirectoryReadsAsItsEntries()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler);
        List<DirectoryEntry> root = [], b = [], viaDirectory = [];
        harness.Run(() =>
        {
            root = KernelFiles.List(fs, "/");
            b = KernelFiles.List(fs, "/a/b");
            Inode dir = fs.Root();
            fs.Inodes.Lock(dir);
            viaDirectory = fs.Directories.Entries(dir);
            fs.Inodes.UnlockPut(dir);
        });

        string[] top = SampleTree.Order.Where(p => !p.Contains('/')).ToArray();
        Assert.Equal([".", "..", .. top], root.Select(e => e.NameText));
        Assert.Equal([1, 1, .. top.Select(SampleTree.InumOf)], root.Select(e => (uint)e.Inum));
        Assert.Equal(root.Select(e => e.ToString()), viaDirectory.Select(e => e.ToString()));
        Assert.Equal([".", "..", "c", "middle"], b.Select(e => e.NameText));
        Assert.Equal(SampleTree.InumOf("a/b"), b[0].Inum);
        Assert.Equal(SampleTree.InumOf("a"), b[1].Inum);
    }

    [Fact]
    public void StatDescribesFilesDirectoriesAndTheConsole()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler);
        var stats = new Dictionary<string, FileStat?>();
        harness.Run(() =>
        {
            foreach (string path in new[] { "/", "README", "nearmax", "a/b", "console", "missing" })
                stats[path] = KernelFiles.Stat(fs, path);
        });
        Assert.Equal(new FileStat(1, 1, InodeType.Directory, 3, SampleTree.RootSize), stats["/"]);
        Assert.Equal(new FileStat(1, SampleTree.InumOf("README"), InodeType.File, 1, (ulong)SampleTree.Files["README"].Length), stats["README"]);
        Assert.Equal(new FileStat(1, SampleTree.InumOf("nearmax"), InodeType.File, 1, (ulong)FsLayout.MaxFileSize - 100), stats["nearmax"]);
        Assert.Equal(new FileStat(1, SampleTree.InumOf("a/b"), InodeType.Directory, 2, 4 * 16), stats["a/b"]);
        Assert.Equal(new FileStat(1, SampleTree.InumOf("console"), InodeType.Device, 1, 0), stats["console"]);
        Assert.Null(stats["missing"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ManyThreadsReadingThroughSmallCachesGetExactResults(int cpus)
    {
        // Twelve threads, each holding at most one buffer and two inodes at a time, share 16
        // buffers and 30 inode slots: buffers are recycled constantly and inode locks contended.
        const int Threads = 12, Rounds = 3;
        using var harness = new SchedulerHarness(cpus);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler, buffers: Threads + 4, inodes: 2 * Threads + 6);
        string[] paths = [.. SampleTree.Files.Keys];
        int wrong = 0, reads = 0;

        harness.Run(Enumerable.Range(0, Threads).Select(t => (Action)(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    string path = paths[(t + i) % paths.Length];
                    byte[]? got = KernelFiles.ReadAll(fs, path, ChunkSizes[(t + round) % ChunkSizes.Length]);
                    if (got == null || !got.AsSpan().SequenceEqual(SampleTree.Files[path]))
                        Interlocked.Increment(ref wrong);
                    Interlocked.Increment(ref reads);
                }
                harness.Scheduler.Yield();
            }
        })).ToArray());

        Assert.Equal(0, wrong);
        Assert.Equal(Threads * Rounds * paths.Length, reads);
        Assert.True(fs.Buffers.Misses > 10 * fs.Buffers.Capacity, $"only {fs.Buffers.Misses} misses: the cache was not under pressure");
        int leaked = -1;
        harness.Run(() => leaked = fs.Inodes.InUse());
        Assert.Equal(0, leaked);
    }

    [Fact]
    public void TheRootIsInodeOneAndItsOwnParent()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler);
        uint root = 0, parent = 0;
        InodeType type = InodeType.Free;
        harness.Run(() =>
        {
            Inode ip = fs.Root();
            fs.Inodes.Lock(ip);
            type = ip.Type;
            root = ip.Number;
            Inode dotdot = fs.Directories.Lookup(ip, ".."u8, out _)!;
            parent = dotdot.Number;
            fs.Inodes.Put(dotdot);
            fs.Inodes.UnlockPut(ip);
        });
        Assert.Equal(1u, root);
        Assert.Equal(1u, parent);
        Assert.Equal(InodeType.Directory, type);
    }

    [Theory]
    [InlineData("magic")]
    [InlineData("size")]
    [InlineData("regions")]
    [InlineData("inodes")]
    [InlineData("tiny")]
    public void AnUnusableSuperblockIsAClearErrorNotACrash(string damage)
    {
        byte[] bytes = SampleTree.Build();
        Span<byte> sb = bytes.AsSpan(FsLayout.BlockSize, Superblock.EncodedLength);
        string expected = damage;
        switch (damage)
        {
            case "magic":
                BinaryPrimitives.WriteUInt32LittleEndian(sb, 0xdeadbeef);
                expected = "bad superblock magic 0xdeadbeef";
                break;
            case "size":
                bytes = bytes[..(100 * FsLayout.BlockSize)];
                expected = "the disk has only 100";
                break;
            case "regions":
                BinaryPrimitives.WriteUInt32LittleEndian(sb[24..], 10); // inodestart inside the log
                expected = "overlap";
                break;
            case "inodes":
                BinaryPrimitives.WriteUInt32LittleEndian(sb[12..], 1);
                expected = "too few for a root";
                break;
            case "tiny":
                bytes = new byte[FsLayout.BlockSize];
                expected = "too small";
                break;
        }

        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(bytes);
        var fs = new FileSystem(harness.Scheduler, image.Disk);
        var error = Assert.Throws<InvalidDataException>(fs.Mount);
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("device 1: ", error.Message);
        Assert.False(fs.IsMounted);
        Assert.Throws<InvalidOperationException>(() => fs.Inodes);
    }

    [Fact]
    public void MountingTwiceIsRefused()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build());
        FileSystem fs = image.Mount(harness.Scheduler);
        Assert.Throws<InvalidOperationException>(fs.Mount);
        Assert.Equal(new ImageReader(SampleTree.Build()).Superblock, fs.Superblock);
    }

    [Fact]
    public void AnImageFromTheMkfsCommandMountsAndReads()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"osprey-fs-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            string readme = Path.Combine(dir, "README");
            string big = Path.Combine(dir, "max");
            File.WriteAllBytes(readme, SampleTree.Files["README"]);
            File.WriteAllBytes(big, SampleTree.Files["max"]);
            string imagePath = Path.Combine(dir, "fs.img");
            Assert.Equal(0, Commands.MkfsCommand.Run(imagePath, [readme, big], null, null, TextWriter.Null));

            using var harness = new SchedulerHarness(3);
            using var image = new DiskImage(File.ReadAllBytes(imagePath));
            FileSystem fs = image.Mount(harness.Scheduler);
            byte[]? gotReadme = null, gotBig = null;
            FileStat? console = null;
            harness.Run(
                () => gotReadme = KernelFiles.ReadAll(fs, "/README", 512),
                () => gotBig = KernelFiles.ReadAll(fs, "max", 3000),
                () => console = KernelFiles.Stat(fs, "/console"));
            Assert.Equal(SampleTree.Files["README"], gotReadme);
            Assert.Equal(SampleTree.Files["max"], gotBig);
            Assert.Equal(InodeType.Device, console!.Value.Type);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
