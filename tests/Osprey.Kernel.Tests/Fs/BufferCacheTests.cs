using System.Buffers.Binary;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.Support;
using Buffer = Osprey.Kernel.Fs.Buffer;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>The buffer cache over a disk whose every block holds a pattern derived from its number.</summary>
public class BufferCacheTests
{
    private const int Device = 1;
    private const int Blocks = 64;

    private static byte Pattern(uint block, int i) => (byte)(block * 7 + i * 13);

    private static byte[] PatternedDisk()
    {
        var bytes = new byte[Blocks * FsLayout.BlockSize];
        for (uint b = 0; b < Blocks; b++)
            for (int i = 0; i < FsLayout.BlockSize; i++)
                bytes[b * FsLayout.BlockSize + i] = Pattern(b, i);
        return bytes;
    }

    private static bool HoldsBlock(Buffer buffer, uint block)
    {
        for (int i = 0; i < FsLayout.BlockSize; i++)
            if (buffer.Data[i] != Pattern(block, i))
                return false;
        return buffer.BlockNumber == block && buffer.Device == Device;
    }

    private static (SchedulerHarness, DiskImage, BufferCache) Setup(int cpus, int capacity, bool writable = false)
    {
        var harness = new SchedulerHarness(cpus, lockdep: true);
        var image = new DiskImage(PatternedDisk(), writable);
        var cache = new BufferCache(harness.Scheduler, capacity);
        cache.Attach(Device, image.Disk);
        return (harness, image, cache);
    }

    /// <summary>Reads a block, checks it, and releases it.</summary>
    private static void Touch(BufferCache cache, uint block)
    {
        Buffer b = cache.Read(Device, block);
        bool ok = HoldsBlock(b, block);
        cache.Release(b);
        Assert.True(ok, $"block {block} read back wrong");
    }

    [Fact]
    public void ASecondReadOfABlockIsServedFromMemory()
    {
        var (harness, image, cache) = Setup(1, 8);
        using (harness)
        using (image)
        {
            harness.Run(() =>
            {
                Touch(cache, 5);
                Touch(cache, 5);
            });
            Assert.Equal(1, image.Disk.Reads);
            Assert.Equal(1, cache.Misses);
            Assert.Equal(1, cache.Hits);
        }
    }

    [Fact]
    public void TheLeastRecentlyReleasedBufferIsTheOneRecycled()
    {
        var (harness, image, cache) = Setup(1, 4);
        using (harness)
        using (image)
        {
            long afterEviction = 0, afterHits = 0;
            harness.Run(() =>
            {
                foreach (uint b in new uint[] { 10, 11, 12, 13 })
                    Touch(cache, b);
                Touch(cache, 10); // 10 is now the most recent; 11 the least
                Touch(cache, 14); // recycles 11's buffer
                afterEviction = image.Disk.Reads;
                foreach (uint b in new uint[] { 10, 12, 13, 14 })
                    Touch(cache, b);
                afterHits = image.Disk.Reads;
                Touch(cache, 11); // gone: read again
            });
            Assert.Equal(5, afterEviction);
            Assert.Equal(5, afterHits);
            Assert.Equal(6, image.Disk.Reads);
            Assert.Equal(6, cache.Misses);
            Assert.Equal(5, cache.Hits);
        }
    }

    [Fact]
    public void APinnedBufferStaysCachedWhileOthersAreRecycled()
    {
        var (harness, image, cache) = Setup(1, 2);
        using (harness)
        using (image)
        {
            harness.Run(() =>
            {
                Buffer pinned = cache.Read(Device, 1);
                cache.Pin(pinned);
                cache.Release(pinned);
                for (uint b = 2; b < 6; b++)
                    Touch(cache, b); // all through the one unpinned buffer
                long before = image.Disk.Reads;
                Touch(cache, 1);
                Assert.Equal(before, image.Disk.Reads);
                cache.Unpin(pinned);
            });
        }
    }

    [Fact]
    public void RunningOutOfBuffersPanics()
    {
        var (harness, image, cache) = Setup(1, 2);
        using (harness)
        using (image)
        {
            var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                Buffer a = cache.Read(Device, 1), b = cache.Read(Device, 2, nesting: 1);
                try
                {
                    cache.Read(Device, 3, nesting: 2);
                }
                finally
                {
                    cache.Release(a);
                    cache.Release(b);
                }
            }));
            Assert.IsType<KernelPanicException>(error.InnerException);
            Assert.Contains("all 2 buffers are in use", error.InnerException!.Message);
        }
    }

    [Fact]
    public void ReleasingABufferNotHeldPanics()
    {
        var (harness, image, cache) = Setup(1, 2);
        using (harness)
        using (image)
        {
            var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                Buffer a = cache.Read(Device, 1);
                cache.Release(a);
                cache.Release(a);
            }));
            Assert.Contains("brelse", error.InnerException!.Message);
        }
    }

    [Fact]
    public void ReadingPastTheEndOfTheDiskPanics()
    {
        var (harness, image, cache) = Setup(1, 2);
        using (harness)
        using (image)
        {
            var error = Assert.Throws<AggregateException>(() => harness.Run(() => cache.Read(Device, Blocks)));
            Assert.Contains("past the end", error.InnerException!.Message);
        }
    }

    [Fact]
    public void WriteGoesThroughToTheDisk()
    {
        var (harness, image, cache) = Setup(1, 2, writable: true);
        using (harness)
        using (image)
        {
            harness.Run(() =>
            {
                Buffer b = cache.Read(Device, 3);
                b.Data.AsSpan().Fill(0xab);
                cache.Write(b);
                cache.Release(b);
            });
            var onDisk = new byte[FsLayout.BlockSize];
            image.Disk.Read(3, onDisk);
            Assert.All(onDisk, x => Assert.Equal(0xab, x));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ThreadsSharingFewBuffersSeeOneCopyOfEachBlock(int cpus)
    {
        // Each thread increments counters kept in blocks, through a cache much smaller than the
        // blocks used, writing each change through. A lost update would mean two copies of a
        // block, or two threads in one buffer at once.
        const int Threads = 8, Rounds = 400, Used = 24;
        var (harness, image, cache) = Setup(cpus, capacity: Threads, writable: true);
        using (harness)
        using (image)
        {
            harness.Run(Enumerable.Range(0, Threads).Select(t => (Action)(() =>
            {
                var random = new Random(t);
                for (int i = 0; i < Rounds; i++)
                {
                    uint block = (uint)random.Next(Used);
                    Buffer b = cache.Read(Device, block);
                    int seen = BinaryPrimitives.ReadInt32LittleEndian(b.Data.AsSpan(512));
                    Thread.SpinWait(50);
                    BinaryPrimitives.WriteInt32LittleEndian(b.Data.AsSpan(512), seen + 1);
                    cache.Write(b);
                    cache.Release(b);
                    if (i % 50 == 0)
                        harness.Scheduler.Yield();
                }
            })).ToArray());

            long total = 0;
            byte[] original = PatternedDisk();
            var bytes = new byte[FsLayout.BlockSize];
            for (uint b = 0; b < Used; b++)
            {
                image.Disk.Read(b, bytes);
                int start = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan((int)(b * FsLayout.BlockSize) + 512));
                total += BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(512)) - start;
            }
            Assert.Equal(Threads * Rounds, total);
            Assert.True(cache.Misses > Threads, "the cache was too big to be exercised");
        }
    }

    [Fact]
    public void EvictionUnderConcurrencyNeverCachesABlockTwice()
    {
        // Threads on three CPUs walk the same cycle of blocks, a little more of them than the
        // cache holds, so nearly every read misses (LRU's worst case), and a thread that misses
        // yields before it evicts, so that the next thread misses the same block too: the race
        // in which a cache without its second look under the eviction lock caches one block
        // twice (and panics when it files the second copy). While a thread holds block b, no
        // other may hold b: each holder claims it, and a second holder at once can only be a
        // second copy; at the end every cached buffer must be in its block's bucket, once.
        const int Threads = 6, Rounds = 3000, Used = 40;
        var (harness, image, cache) = Setup(3, capacity: 32);
        using (harness)
        using (image)
        {
            int misses = 0;
            cache.AfterMiss = () =>
            {
                if (Interlocked.Increment(ref misses) % 4 == 0)
                    harness.Scheduler.Yield();
            };
            var holder = new int[Used];
            int doubles = 0, wrong = 0;
            harness.Run(Enumerable.Range(1, Threads).Select(t => (Action)(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    uint block = (uint)(i % Used);
                    Buffer b = cache.Read(Device, block);
                    if (Interlocked.CompareExchange(ref holder[block], t, 0) != 0)
                        Interlocked.Increment(ref doubles);
                    if (!HoldsBlock(b, block))
                        Interlocked.Increment(ref wrong);
                    Interlocked.CompareExchange(ref holder[block], 0, t);
                    cache.Release(b);
                }
            })).ToArray());
            Assert.Equal(0, wrong);
            cache.CheckInvariants();
            Assert.Equal(0, doubles);
            Assert.True(cache.Misses > Rounds, $"only {cache.Misses} misses: the cache was too big to be exercised");
            Assert.Equal(Threads * Rounds, cache.Hits + cache.Misses);
        }
    }

    [Fact]
    public void HitsTakeOnlyTheirBucketsLockAndBlocksSpreadOverTheBuckets()
    {
        var (harness, image, cache) = Setup(1, 32);
        using (harness)
        using (image)
        {
            harness.Run(() =>
            {
                for (uint b = 0; b < 26; b++)
                    Touch(cache, b);
            });
            long evictions = cache.EvictionLockStats.Acquisitions;
            harness.Run(() =>
            {
                for (int round = 0; round < 4; round++)
                    for (uint b = 0; b < 26; b++)
                        Touch(cache, b);
            });
            Assert.Equal(evictions, cache.EvictionLockStats.Acquisitions);
            Assert.Equal(26 * 4, cache.Hits);
            Assert.Equal(BufferCache.Buckets, cache.BucketLockStats.Count);
            Assert.True(cache.BucketLockStats.Count(s => s.Acquisitions > 0) >= BufferCache.Buckets - 2,
                "consecutive blocks should land in (nearly) every bucket");
            cache.CheckInvariants();
        }
    }
}
