using Osprey.Machine.Devices;

namespace Osprey.Machine.Tests.Devices;

/// <summary>
/// The block device's fault injection: after N writes the disk stops, later writes never reach
/// the image, and whoever waits for the stop is told, the last writer before its write returns.
/// </summary>
public sealed class BlockDeviceFaultTests : IDisposable
{
    private const int Blocks = 8;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"osprey-bd-{Guid.NewGuid():N}.img");

    public BlockDeviceFaultTests() => File.WriteAllBytes(_path, new byte[Blocks * BlockDevice.BlockSize]);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void WithoutAStopEveryWriteLands()
    {
        using (var disk = new BlockDevice(_path))
        {
            for (int i = 0; i < 3 * Blocks; i++)
                disk.Write(i % Blocks, Pattern(i));
            Assert.Equal(3 * Blocks, disk.Writes);
            Assert.False(disk.HasStopped);
            Assert.False(disk.WaitUntilStopped(TimeSpan.Zero));
        }
        for (int b = 0; b < Blocks; b++)
            Assert.Equal(Pattern(2 * Blocks + b), BlockOnImage(b)); // the last write to each block
    }

    [Fact]
    public void TheFirstNWritesLandAndTheRestAreDropped()
    {
        using (var disk = new BlockDevice(_path))
        {
            disk.StopAfterWrites(3);
            disk.Write(0, Pattern(1));
            disk.Write(1, Pattern(2));
            Assert.False(disk.HasStopped);
            disk.Write(0, Pattern(3));
            Assert.True(disk.HasStopped);
            disk.Write(0, Pattern(4));
            disk.Write(2, Pattern(5));
            Assert.Equal(3, disk.Writes);
            Assert.Equal(2, disk.DroppedWrites);

            // The disk still reads what it holds.
            var back = new byte[BlockDevice.BlockSize];
            disk.Read(0, back);
            Assert.Equal(Pattern(3), back);
        }
        Assert.Equal(Pattern(3), BlockOnImage(0));
        Assert.Equal(Pattern(2), BlockOnImage(1));
        Assert.Equal(new byte[BlockDevice.BlockSize], BlockOnImage(2));
    }

    [Fact]
    public void TheLastWriterIsToldBeforeItsWriteReturns()
    {
        using var disk = new BlockDevice(_path);
        int calls = 0;
        int? callingThread = null;
        long writesWhenTold = -1;
        disk.StopAfterWrites(2, () =>
        {
            calls++;
            callingThread = Environment.CurrentManagedThreadId;
            writesWhenTold = disk.Writes;
        });
        disk.Write(5, Pattern(1));
        Assert.Equal(0, calls);
        disk.Write(6, Pattern(2));
        Assert.Equal(1, calls);
        Assert.Equal(Environment.CurrentManagedThreadId, callingThread);
        Assert.Equal(2, writesWhenTold);
        disk.Write(7, Pattern(3));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void AWaiterWakesWhenAnotherThreadStopsTheDisk()
    {
        using var disk = new BlockDevice(_path);
        disk.StopAfterWrites(50);
        var writer = new Thread(() =>
        {
            for (int i = 0; i < 80; i++)
                disk.Write(i % Blocks, Pattern(i));
        });
        writer.Start();
        Assert.True(disk.WaitUntilStopped(TimeSpan.FromSeconds(60)));
        writer.Join();
        Assert.Equal(50, disk.Writes);
        Assert.Equal(30, disk.DroppedWrites);
    }

    [Fact]
    public void ConcurrentWritersLandExactlyN()
    {
        using var disk = new BlockDevice(_path);
        int told = 0;
        disk.StopAfterWrites(100, () => Interlocked.Increment(ref told));
        Parallel.For(0, 4, w =>
        {
            for (int i = 0; i < 60; i++)
                disk.Write(w, Pattern(i));
        });
        Assert.Equal(100, disk.Writes);
        Assert.Equal(140, disk.DroppedWrites);
        Assert.Equal(1, told);
    }

    [Fact]
    public void StoppingAfterZeroWritesStopsAtOnce()
    {
        using (var disk = new BlockDevice(_path))
        {
            bool told = false;
            disk.StopAfterWrites(0, () => told = true);
            Assert.True(told);
            Assert.True(disk.HasStopped);
            disk.Write(0, Pattern(9));
            Assert.Equal(0, disk.Writes);
        }
        Assert.Equal(new byte[BlockDevice.BlockSize], BlockOnImage(0));
    }

    [Fact]
    public void BadArmingIsRefused()
    {
        using (var disk = new BlockDevice(_path))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => disk.StopAfterWrites(-1));
            disk.StopAfterWrites(4);
            Assert.Throws<InvalidOperationException>(() => disk.StopAfterWrites(4));
        }
        using var readOnly = new BlockDevice(_path, writable: false);
        Assert.Throws<InvalidOperationException>(() => readOnly.StopAfterWrites(1));
    }

    private static byte[] Pattern(int seed)
    {
        var bytes = new byte[BlockDevice.BlockSize];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(seed * 31 + i);
        return bytes;
    }

    private byte[] BlockOnImage(int block) =>
        File.ReadAllBytes(_path).AsSpan(block * BlockDevice.BlockSize, BlockDevice.BlockSize).ToArray();
}
