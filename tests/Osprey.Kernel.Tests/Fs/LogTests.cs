using System.Buffers.Binary;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.Support;
using FsBuffer = Osprey.Kernel.Fs.Buffer;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// The write-ahead log on its own: what reaches the disk and when, group commit, absorption,
/// the bound on operations in progress, and recovery of a committed transaction at mount.
/// </summary>
public class LogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void AnOperationIsOnDiskWhenEndOpReturnsAndTheLogIsEmptyAgain()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);
        uint block = SpareBlock(fs, 0);
        byte[] onDiskDuring = [];

        harness.Run(() =>
        {
            fs.Log.BeginOp();
            Stamp(fs, block, 0x5A);
            onDiskDuring = ReadRaw(image, block);
            fs.Log.EndOp();
        });

        Assert.DoesNotContain((byte)0x5A, onDiskDuring); // nothing goes home before the commit
        Assert.All(ReadRaw(image, block), b => Assert.Equal(0x5A, b));
        Assert.Equal(0, LogCount(image, fs.Superblock));
        Assert.Equal(1, fs.Log.Commits);
    }

    [Fact]
    public void RepeatedWritesOfOneBlockAreLoggedOnce()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);
        uint block = SpareBlock(fs, 0);

        harness.Run(() =>
        {
            fs.Log.BeginOp();
            for (byte i = 1; i <= 5; i++)
                Stamp(fs, block, i);
            fs.Log.EndOp();
        });

        Assert.Equal(1, fs.Log.BlocksCommitted);
        Assert.All(ReadRaw(image, block), b => Assert.Equal(5, b));
    }

    [Fact]
    public void OverlappingOperationsShareOneCommit()
    {
        using var harness = new SchedulerHarness(3);
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);
        int begun = 0;

        harness.Run(Enumerable.Range(0, 3).Select(i => (Action)(() =>
        {
            fs.Log.BeginOp();
            Interlocked.Increment(ref begun);
            // Each holds its operation open until all three are in, so they end as one group.
            SpinUntil(() => Volatile.Read(ref begun) == 3);
            Stamp(fs, SpareBlock(fs, i), (byte)(i + 1));
            fs.Log.EndOp();
        })).ToArray());

        Assert.Equal(1, fs.Log.Commits);
        Assert.Equal(3, fs.Log.BlocksCommitted);
        for (int i = 0; i < 3; i++)
            Assert.All(ReadRaw(image, SpareBlock(fs, i)), b => Assert.Equal(i + 1, b));
    }

    [Fact]
    public void NoMoreOperationsBeginThanTheLogCanHoldAtTheirWorst()
    {
        using var harness = new SchedulerHarness(3);
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);
        int inside = 0, most = 0, finished = 0;
        int admitted = fs.Log.Capacity / Log.MaxOpBlocks;

        harness.Run(Enumerable.Range(0, admitted + 2).Select(i => (Action)(() =>
        {
            fs.Log.BeginOp();
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            // Give the CPU away while inside, so that a log admitting too many would show it.
            for (int y = 0; y < 5; y++)
                harness.Scheduler.Yield();
            Stamp(fs, SpareBlock(fs, i), 1);
            Interlocked.Decrement(ref inside);
            fs.Log.EndOp();
            Interlocked.Increment(ref finished);
        })).ToArray());

        Assert.Equal(admitted + 2, finished);
        Assert.InRange(most, 1, admitted);
    }

    [Fact]
    public void MountInstallsACommittedTransactionAndEmptiesTheLog()
    {
        byte[] bytes = SampleTree.Build();
        Superblock sb = Superblock.Parse(bytes.AsSpan(FsLayout.BlockSize));
        uint home1 = sb.Size - 1, home2 = sb.Size - 2;
        // A crash after the header was written but before the blocks went home.
        WriteLogBlock(bytes, sb, 0, 0x11);
        WriteLogBlock(bytes, sb, 1, 0x22);
        WriteHeader(bytes, sb, home1, home2);

        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(bytes, writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);

        Assert.Equal(2, fs.RecoveredBlocks);
        Assert.All(ReadRaw(image, home1), b => Assert.Equal(0x11, b));
        Assert.All(ReadRaw(image, home2), b => Assert.Equal(0x22, b));
        Assert.Equal(0, LogCount(image, sb));
    }

    [Fact]
    public void MountIgnoresLogBlocksThatWereNeverCommitted()
    {
        byte[] bytes = SampleTree.Build();
        Superblock sb = Superblock.Parse(bytes.AsSpan(FsLayout.BlockSize));
        uint home = sb.Size - 1;
        byte[] before = bytes.AsSpan((int)(home * FsLayout.BlockSize), FsLayout.BlockSize).ToArray();
        // A crash while the blocks were being copied into the log: the header still says 0.
        WriteLogBlock(bytes, sb, 0, 0x33);

        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(bytes, writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);

        Assert.Equal(0, fs.RecoveredBlocks);
        Assert.Equal(before, ReadRaw(image, home));
    }

    [Fact]
    public void AHeaderNamingTooManyBlocksIsABadDiskNotACrash()
    {
        byte[] bytes = SampleTree.Build();
        Superblock sb = Superblock.Parse(bytes.AsSpan(FsLayout.BlockSize));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)(sb.LogStart * FsLayout.BlockSize)), 1000);

        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(bytes, writable: true);
        var e = Assert.Throws<InvalidDataException>(() => image.Mount(harness.Scheduler));
        Assert.Contains("log header", e.Message);
    }

    [Fact]
    public void WritingOutsideAnOperationPanics()
    {
        using var harness = new SchedulerHarness(1);
        using var image = new DiskImage(SampleTree.Build(), writable: true);
        FileSystem fs = image.Mount(harness.Scheduler);
        Exception? caught = null;

        harness.Run(() =>
        {
            FsBuffer b = fs.Buffers.Read(fs.Device, SpareBlock(fs, 0));
            try
            {
                fs.Log.Write(b);
            }
            catch (KernelPanicException e)
            {
                caught = e;
            }
            fs.Buffers.Release(b);
        });

        Assert.IsType<KernelPanicException>(caught);
        Assert.Contains("outside an operation", caught!.Message);
    }

    /// <summary>The i-th block from the end of the disk: free in the sample tree (mkfs fills from the front).</summary>
    private static uint SpareBlock(FileSystem fs, int i) => fs.Superblock.Size - 1 - (uint)i;

    private static void Stamp(FileSystem fs, uint block, byte value)
    {
        FsBuffer b = fs.Buffers.Read(fs.Device, block);
        Array.Fill(b.Data, value);
        fs.Log.Write(b);
        fs.Buffers.Release(b);
    }

    private static byte[] ReadRaw(DiskImage image, uint block)
    {
        var data = new byte[FsLayout.BlockSize];
        image.Disk.Read(block, data);
        return data;
    }

    private static int LogCount(DiskImage image, Superblock sb) =>
        BinaryPrimitives.ReadInt32LittleEndian(ReadRaw(image, sb.LogStart));

    private static void WriteLogBlock(byte[] image, Superblock sb, int index, byte value) =>
        image.AsSpan((int)((sb.LogStart + 1 + index) * FsLayout.BlockSize), FsLayout.BlockSize).Fill(value);

    private static void WriteHeader(byte[] image, Superblock sb, params uint[] homes) =>
        LogHeader.Write(image.AsSpan((int)(sb.LogStart * FsLayout.BlockSize), FsLayout.BlockSize), homes);

    private static void SpinUntil(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, Deadline))
            throw new TimeoutException("the other operations never began");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
