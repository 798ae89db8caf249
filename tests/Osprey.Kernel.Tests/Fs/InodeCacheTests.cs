using System.Buffers.Binary;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.Support;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>The inode table (iget/idup/ilock/iput), bmap, readi and stat on the sample image.</summary>
public sealed class InodeCacheTests : IDisposable
{
    private readonly SchedulerHarness _harness = new(1);
    private readonly DiskImage _image = new(SampleTree.Build());

    public void Dispose()
    {
        _harness.Dispose();
        _image.Dispose();
    }

    private FileSystem Mount(int inodes = 50) => _image.Mount(_harness.Scheduler, inodes: inodes);

    private static uint Inum(string path) => SampleTree.InumOf(path);

    private static KernelPanicException PanicOf(Action run) =>
        Assert.IsType<KernelPanicException>(Assert.Throws<AggregateException>(run).InnerException);

    [Fact]
    public void GetGivesOneEntryPerInodeAndPutFreesIt()
    {
        FileSystem fs = Mount();
        _harness.Run(() =>
        {
            Inode a = fs.Inodes.Get(Inum("README"));
            Inode b = fs.Inodes.Get(Inum("README"));
            Inode c = fs.Inodes.Dup(a);
            Assert.Same(a, b);
            Assert.Same(a, c);
            Assert.Equal(1, fs.Inodes.InUse());
            fs.Inodes.Put(a);
            fs.Inodes.Put(b);
            fs.Inodes.Put(c);
            Assert.Equal(0, fs.Inodes.InUse());
        });
    }

    [Fact]
    public void AFullTablePanicsAndAReleasedEntryIsReused()
    {
        FileSystem fs = Mount(inodes: 3);
        _harness.Run(() =>
        {
            Inode[] held = [fs.Inodes.Get(2), fs.Inodes.Get(3), fs.Inodes.Get(4)];
            fs.Inodes.Put(held[1]);
            Inode reused = fs.Inodes.Get(5);
            Assert.Same(held[1], reused);
            fs.Inodes.Lock(reused); // loads inode 5 afresh, not 3's fields
            Assert.Equal((uint)SampleTree.Files["block"].Length, reused.Size);
            fs.Inodes.UnlockPut(reused);
            fs.Inodes.Put(held[0]);
            fs.Inodes.Put(held[2]);
        });
        var panic = PanicOf(() => _harness.Run(() =>
        {
            for (uint i = 2; i < 6; i++)
                fs.Inodes.Get(i);
        }));
        Assert.Contains("all 3 inodes are in use", panic.Message);
    }

    [Fact]
    public void LockReadsTheInodeFromDiskAndStatReportsIt()
    {
        FileSystem fs = Mount();
        FileStat readme = default, root = default, console = default;
        short major = 0;
        _harness.Run(() =>
        {
            readme = StatOf(fs, Inum("README"));
            root = StatOf(fs, FsLayout.RootInode);
            Inode ip = fs.Inodes.Get(Inum("console"));
            fs.Inodes.Lock(ip);
            console = fs.Inodes.Stat(ip);
            major = ip.Major;
            fs.Inodes.UnlockPut(ip);
        });
        Assert.Equal(new FileStat(1, Inum("README"), InodeType.File, 1, (ulong)SampleTree.Files["README"].Length), readme);
        Assert.Equal(new FileStat(1, 1, InodeType.Directory, 3, SampleTree.RootSize), root);
        Assert.Equal(new FileStat(1, Inum("console"), InodeType.Device, 1, 0), console);
        Assert.Equal(1, major);
    }

    [Fact]
    public void StatBytesFollowXv6sStructStat()
    {
        byte[] bytes = new FileStat(1, 0x01020304, InodeType.File, 7, 0x1122334455667788).ToBytes();
        Assert.Equal(24, bytes.Length);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(7, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(10)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0x1122334455667788ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
    }

    [Fact]
    public void ReadStopsAtTheEndOfTheFileAsXv6Does()
    {
        FileSystem fs = Mount();
        byte[] readme = SampleTree.Files["README"];
        ulong size = (ulong)readme.Length;
        var results = new Dictionary<string, int>();
        var tail = new byte[100];
        _harness.Run(() =>
        {
            Inode ip = fs.Inodes.Get(Inum("README"));
            fs.Inodes.Lock(ip);
            results["at end"] = fs.Inodes.Read(ip, size, new byte[10]);
            results["past end"] = fs.Inodes.Read(ip, size + 1, new byte[10]);
            results["overflow"] = fs.Inodes.Read(ip, ulong.MaxValue - 5, new byte[10]);
            results["nothing"] = fs.Inodes.Read(ip, 0, []);
            results["tail"] = fs.Inodes.Read(ip, size - 10, tail);
            fs.Inodes.UnlockPut(ip);
        });
        Assert.Equal(0, results["at end"]);
        Assert.Equal(0, results["past end"]);
        Assert.Equal(0, results["overflow"]);
        Assert.Equal(0, results["nothing"]);
        Assert.Equal(10, results["tail"]);
        Assert.Equal(readme[^10..], tail[..10]);
        Assert.All(tail[10..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void ReadToUserHandsOverConsecutivePiecesAndFailsWithMinusOne()
    {
        FileSystem fs = Mount();
        byte[] file = SampleTree.Files["indirect"];
        var pieces = new List<(ulong Va, byte[] Bytes)>();
        int whole = 0, failed = 0, calls = 0;
        _harness.Run(() =>
        {
            Inode ip = fs.Inodes.Get(Inum("indirect"));
            fs.Inodes.Lock(ip);
            whole = fs.Inodes.ReadToUser(ip, 1000, 0x4000, 5000, (va, bytes) =>
            {
                pieces.Add((va, bytes.ToArray()));
                return true;
            });
            failed = fs.Inodes.ReadToUser(ip, 0, 0x4000, 5000, (_, _) => ++calls < 2);
            fs.Inodes.UnlockPut(ip);
        });
        Assert.Equal(5000, whole);
        Assert.Equal(file[1000..6000], pieces.SelectMany(p => p.Bytes).ToArray());
        ulong expectedVa = 0x4000;
        foreach (var (va, bytes) in pieces)
        {
            Assert.Equal(expectedVa, va);
            expectedVa += (ulong)bytes.Length;
        }
        Assert.Equal(24, pieces[0].Bytes.Length); // up to the end of the first block
        Assert.Equal(-1, failed);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void BmapFindsDirectAndIndirectBlocksAndZeroPastTheEnd()
    {
        byte[] bytes = SampleTree.Build();
        var reader = new ImageReader(bytes);
        DiskInode onDisk = reader.ReadInode(Inum("max"));
        FileSystem fs = Mount();
        var found = new uint[FsLayout.MaxFileBlocks];
        uint small = 99;
        _harness.Run(() =>
        {
            Inode ip = fs.Inodes.Get(Inum("max"));
            fs.Inodes.Lock(ip);
            for (uint i = 0; i < found.Length; i++)
                found[i] = fs.Inodes.Bmap(ip, i);
            fs.Inodes.UnlockPut(ip);
            ip = fs.Inodes.Get(Inum("one"));
            fs.Inodes.Lock(ip);
            small = fs.Inodes.Bmap(ip, 12); // no indirect block at all
            fs.Inodes.UnlockPut(ip);
        });
        for (uint i = 0; i < found.Length; i++)
            Assert.Equal(reader.BlockOf(onDisk, i), found[i]);
        Assert.DoesNotContain(0u, found);
        Assert.Equal(0u, small);

        var panic = PanicOf(() => _harness.Run(() =>
        {
            Inode ip = fs.Inodes.Get(Inum("max"));
            fs.Inodes.Lock(ip);
            fs.Inodes.Bmap(ip, FsLayout.MaxFileBlocks);
        }));
        Assert.Contains("past the largest file", panic.Message);
    }

    [Fact]
    public void ReadingOrUnlockingWithoutTheLockPanics()
    {
        FileSystem fs = Mount();
        Assert.Contains("not locked", PanicOf(() => _harness.Run(() => fs.Inodes.Read(fs.Inodes.Get(2), 0, new byte[4]))).Message);
        Assert.Contains("not locked", PanicOf(() => _harness.Run(() => fs.Inodes.Unlock(fs.Inodes.Get(3)))).Message);
        Assert.Contains("not referenced", PanicOf(() => _harness.Run(() =>
        {
            Inode ip = fs.Inodes.Get(4);
            fs.Inodes.Put(ip);
            fs.Inodes.Put(ip);
        })).Message);
    }

    [Fact]
    public void ABlockNumberOutsideTheDataBlocksPanicsInsteadOfReadingMetadata()
    {
        byte[] bytes = SampleTree.Build();
        var reader = new ImageReader(bytes);
        uint inum = Inum("README");
        // Point README's first block at the superblock.
        int field = (int)(reader.Superblock.InodeBlock(inum) * FsLayout.BlockSize) + DiskInode.OffsetInBlock(inum) + 12;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field), 1);
        using var corrupt = new DiskImage(bytes);
        FileSystem fs = corrupt.Mount(_harness.Scheduler);
        var panic = PanicOf(() => _harness.Run(() => KernelFiles.ReadAll(fs, "README", 100)));
        Assert.Contains("outside the data blocks", panic.Message);
    }

    [Fact]
    public void AllocateSkipsAFreeInodeTheTableStillReferences()
    {
        // The leak of issue 8: an unlinked inode's last Put marks it free on disk, then sleeps in
        // the commit before dropping its reference. An Allocate in that window must not hand out
        // the number, or the new file shares the stale entry and is never freed.
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(_harness.Scheduler);
        _harness.Run(() =>
        {
            fs.Log.BeginOp();
            Inode first = fs.Inodes.Allocate(InodeType.File)!;
            uint n = first.Number;
            fs.Inodes.Lock(first);
            fs.Inodes.UnlockPut(first); // nlink 0: freed on disk
            Inode freeing = fs.Inodes.Get(n); // the reference the freeing Put still holds
            Inode other = fs.Inodes.Allocate(InodeType.File)!;
            Assert.NotEqual(n, other.Number);
            fs.Inodes.Put(freeing);
            Inode again = fs.Inodes.Allocate(InodeType.File)!;
            Assert.Equal(n, again.Number);
            foreach (Inode ip in new[] { other, again })
            {
                fs.Inodes.Lock(ip);
                fs.Inodes.UnlockPut(ip);
            }
            fs.Log.EndOp();
            Assert.Equal(0, fs.Inodes.InUse());
        });
    }

    private static FileStat StatOf(FileSystem fs, uint inum)
    {
        Inode ip = fs.Inodes.Get(inum);
        fs.Inodes.Lock(ip);
        FileStat st = fs.Inodes.Stat(ip);
        fs.Inodes.UnlockPut(ip);
        return st;
    }
}
