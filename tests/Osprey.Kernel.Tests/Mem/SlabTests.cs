using Osprey.Kernel.Mem;
using Osprey.Kernel.Tests.Support;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Mem;

/// <summary>Slab caches and kmalloc over the frame allocator.</summary>
public class SlabTests
{
    private static (SchedulerHarness, FrameAllocator, SlabAllocator) Setup()
    {
        var harness = new SchedulerHarness(1);
        var frames = new FrameAllocator(harness.Memory, PhysicalMemory.Base);
        return (harness, frames, new SlabAllocator(frames));
    }

    [Fact]
    public void AFreedObjectIsTheNextOneHandedOut()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("things", 100);
            harness.Run(() =>
            {
                ulong a = cache.Allocate(), b = cache.Allocate(), c = cache.Allocate();
                Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
                Assert.Equal(1, cache.Slabs);
                cache.Free(b);
                Assert.Equal(b, cache.Allocate());
                Assert.Equal(0x05, harness.Memory.Read8(b));
                cache.Free(a);
                Assert.Equal(0x01, harness.Memory.Read8(a + 50));
                cache.Free(b);
                cache.Free(c);
            });
            Assert.Equal(0, cache.InUse);
        }
    }

    [Theory]
    [InlineData(24, 8, 24)]
    [InlineData(24, 32, 32)]
    [InlineData(1, 1, 8)]
    [InlineData(100, 64, 128)]
    [InlineData(4096, 4096, 4096)]
    public void ObjectsAreAlignedAndPackedAtTheirStride(int size, int alignment, int stride)
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("aligned", size, alignment);
            Assert.Equal(stride, cache.Stride);
            Assert.Equal(PhysicalMemory.PageSize / stride, cache.ObjectsPerSlab);
            harness.Run(() =>
            {
                var objects = Enumerable.Range(0, cache.ObjectsPerSlab + 1).Select(_ => cache.Allocate()).ToList();
                Assert.All(objects, o => Assert.Equal(0UL, o % (ulong)alignment));
                Assert.Equal(objects.Count, objects.Distinct().Count());
                Assert.Equal(2, cache.Slabs);
                foreach (ulong o in objects)
                    cache.Free(o);
            });
        }
    }

    [Fact]
    public void FramesGoBackWhenTheirLastObjectIsFreed()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            long free = frames.FreeFrames;
            SlabCache cache = slabs.CreateCache("big", 1000);
            harness.Run(() =>
            {
                var objects = Enumerable.Range(0, 40).Select(_ => cache.Allocate()).ToList();
                Assert.Equal(10, cache.Slabs);
                Assert.Equal(free - 10, frames.FreeFrames);
                foreach (ulong o in objects.Take(39))
                    cache.Free(o);
                // Free objects wait in this CPU's magazine, still counted by their slabs,
                // until a shrink gives them back.
                Assert.True(cache.Slabs > 1);
                cache.Shrink();
                Assert.Equal(1, cache.Slabs);
                cache.Free(objects[39]);
                cache.Shrink();
            });
            Assert.Equal(0, cache.Slabs);
            Assert.Equal(free, frames.FreeFrames);
            Assert.Equal(40, cache.Allocations);
            Assert.Equal(40, cache.Frees);
        }
    }

    [Fact]
    public void DestroyingACacheWithLiveObjectsPanics()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("leaky", 64);
            ulong o = 0;
            harness.Run(() => o = cache.Allocate());
            var error = Assert.Throws<KernelPanicException>(() => slabs.DestroyCache(cache));
            Assert.Contains("destroyed with 1 object still in use", error.Message);
            harness.Run(() =>
            {
                cache.Free(o);
                slabs.DestroyCache(cache); // empties its magazines: no frame stays behind
            });
            Assert.Equal(frames.TotalFrames, frames.FreeFrames);
            Assert.DoesNotContain(cache, slabs.Caches());
            SlabCache again = slabs.CreateCache("leaky", 64);
            Assert.NotSame(cache, again);
        }
    }

    [Fact]
    public void KmallocUsesTheSmallestPowerOfTwoThatFitsAndKfreeFindsTheCache()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            harness.Run(() =>
            {
                ulong a = slabs.Kmalloc(1), b = slabs.Kmalloc(33), c = slabs.Kmalloc(4096);
                Assert.Equal(0UL, slabs.Kmalloc(0));
                Assert.Equal(0UL, slabs.Kmalloc(4097));
                var caches = slabs.Caches().ToDictionary(k => k.Name);
                Assert.Equal(1, caches["kmalloc-8"].InUse);
                Assert.Equal(1, caches["kmalloc-64"].InUse);
                Assert.Equal(1, caches["kmalloc-4096"].InUse);
                Assert.Equal(0UL, c % PhysicalMemory.PageSize);
                slabs.Kfree(a);
                slabs.Kfree(b);
                slabs.Kfree(c);
                Assert.All(slabs.Caches(), k => Assert.Equal(0, k.InUse));
                slabs.ShrinkAll();
            });
            Assert.Equal(frames.TotalFrames, frames.FreeFrames);
        }
    }

    [Fact]
    public void KfreeOfSomethingElseOrTwicePanics()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            var twice = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                ulong a = slabs.Kmalloc(100), b = slabs.Kmalloc(100);
                slabs.Kfree(a);
                slabs.Kfree(a);
            }));
            Assert.Contains("freed twice", twice.InnerException!.Message);
            var stray = Assert.Throws<AggregateException>(() => harness.Run(() => slabs.Kfree(frames.Allocate())));
            Assert.Contains("is not a slab object", stray.InnerException!.Message);
            var inside = Assert.Throws<AggregateException>(() => harness.Run(() => slabs.Kfree(slabs.Kmalloc(64) + 8)));
            Assert.Contains("is not the start of an object", inside.InnerException!.Message);
        }
    }

    [Fact]
    public void AnAllocateFreeLoopKeepsItsSlabAndTakesTheCacheLockOncePerBatch()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("churn", 32);
            long framesBefore = frames.Allocations;
            harness.Run(() =>
            {
                for (int i = 0; i < 1000; i++)
                    cache.Free(cache.Allocate());
            });
            // Without the magazine the slab would empty at every free and take a frame again
            // at the next allocation: 1000 frames through the frame allocator.
            Assert.Equal(1, frames.Allocations - framesBefore);
            Assert.Equal(1, cache.Slabs);
            Assert.Equal(1000, cache.Allocations);
            Assert.Equal(1000, cache.Frees);
            Assert.Equal(0, cache.InUse);
            Assert.Equal(cache.Batch, cache.Cached);
            // One refill: a look at the slabs, then again with the new slab; the magazine did the rest.
            Assert.Equal(2, harness.Locks.Entries().Single(e => e.Name == "slab.churn").Stats.Acquisitions);
            harness.Run(() => cache.Shrink());
            Assert.Equal(0, cache.Slabs);
            Assert.Equal(0, cache.Cached);
            Assert.Equal(frames.TotalFrames, frames.FreeFrames);
        }
    }

    [Fact]
    public void EachCpuHasItsOwnMagazineAndAFullOneFlushesABatch()
    {
        var harness = new SchedulerHarness(2);
        var frames = new FrameAllocator(harness.Memory, PhysicalMemory.Base, cpus: 2);
        var slabs = new SlabAllocator(frames, cpus: 2);
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("pairs", 32);
            Assert.Equal(SlabCache.MaxMagazine, cache.MagazineCapacity);
            Action work = () =>
            {
                var mine = new List<ulong>();
                for (int round = 0; round < 200; round++)
                {
                    for (int i = 0; i < 40; i++)
                        mine.Add(cache.Allocate());
                    Assert.Equal(mine.Count, mine.Distinct().Count());
                    foreach (ulong o in mine)
                        cache.Free(o);
                    mine.Clear();
                }
            };
            harness.Run(work, work);
            Assert.Equal(0, cache.InUse);
            Assert.Equal(16000, cache.Allocations);
            // Each free of 40 overflows the magazine: batches go back, and no CPU keeps more than its limit.
            Assert.InRange(cache.Cached, 1, 2 * SlabCache.MaxMagazine);
            harness.Run(() => slabs.ShrinkAll());
            Assert.Equal(0, cache.Slabs);
            Assert.Equal(frames.TotalFrames, frames.FreeFrames);
        }
    }

    [Fact]
    public void WhenMemoryRunsOutTheMagazinesGiveTheirFramesBackFirst()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("pages", 4096, 4096);
            harness.Run(() =>
            {
                // Two whole-frame objects freed: they wait in the magazine, holding two frames.
                ulong a = cache.Allocate(), b = cache.Allocate();
                cache.Free(a);
                cache.Free(b);
                Assert.Equal(2, cache.Cached);
                var taken = new List<ulong>();
                for (ulong f; (f = frames.Allocate()) != 0;)
                    taken.Add(f);
                // The last frames came from the magazine, given back when none was left.
                Assert.Equal(frames.TotalFrames, taken.Count);
                Assert.Equal(0, cache.Cached);
                foreach (ulong f in taken)
                    frames.Free(f);
            });
        }
    }

    [Fact]
    public void ADoubleFreeIntoAMagazineOrOfAnObjectBackInItsSlabPanics()
    {
        var (harness, frames, slabs) = Setup();
        using (harness)
        {
            SlabCache cache = slabs.CreateCache("twice", 64);
            var inMagazine = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                ulong a = cache.Allocate();
                cache.Free(a);
                cache.Free(a);
            }));
            Assert.Contains("freed twice", inMagazine.InnerException!.Message);
            var inSlab = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                ulong b = cache.Allocate(), keep = cache.Allocate();
                cache.Free(b);
                cache.Shrink(); // b is free in its slab now (which keep keeps)
                cache.Free(b);
            }));
            Assert.Contains("freed twice", inSlab.InnerException!.Message);
        }
    }

    [Fact]
    public void BadCacheShapesAreRefused()
    {
        var (harness, _, slabs) = Setup();
        using (harness)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => slabs.CreateCache("huge", 5000));
            Assert.Throws<ArgumentOutOfRangeException>(() => slabs.CreateCache("odd", 10, 3));
            Assert.Throws<ArgumentException>(() => slabs.CreateCache("kmalloc-8", 8));
        }
    }
}
