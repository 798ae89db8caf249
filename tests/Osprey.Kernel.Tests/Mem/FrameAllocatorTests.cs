using Osprey.Kernel.Mem;
using Osprey.Kernel.Tests.Support;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Mem;

/// <summary>
/// Every allocator policy behind the front door, against a model (the set of frames handed
/// out): random sequences of allocations and frees, exhaustion, the panics, and a stress with
/// several threads on several CPUs in which no frame may be handed out twice.
/// </summary>
public class FrameAllocatorTests
{
    private const int Frames = 256;

    public static TheoryData<string> Policies() => new(FrameAllocator.PolicyNames);

    /// <summary>A 1 MiB machine's RAM (256 frames) and an allocator over all of it.</summary>
    private static (SchedulerHarness, FrameAllocator) Setup(string policy, int cpus = 1)
    {
        var harness = new SchedulerHarness(cpus);
        return (harness, new FrameAllocator(harness.Memory, PhysicalMemory.Base, policy, cpus));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void RandomAllocationsAndFreesMatchTheModel(string policy)
    {
        var (harness, frames) = Setup(policy);
        using (harness)
        {
            var random = new Random(15);
            var held = new List<ulong>();
            harness.Run(() =>
            {
                for (int step = 0; step < 5000; step++)
                {
                    if (held.Count == 0 || (held.Count < Frames && random.Next(3) != 0))
                    {
                        ulong f = frames.Allocate();
                        Assert.NotEqual(0UL, f);
                        Assert.Equal(0UL, f % PhysicalMemory.PageSize);
                        Assert.DoesNotContain(f, held);
                        Assert.Equal(0x05, harness.Memory.Read8(f + 100));
                        held.Add(f);
                    }
                    else
                    {
                        int i = random.Next(held.Count);
                        frames.Free(held[i]);
                        Assert.Equal(0x01, harness.Memory.Read8(held[i] + 100));
                        held.RemoveAt(i);
                    }
                    Assert.Equal(Frames - held.Count, frames.FreeFrames);
                    Assert.Equal(frames.FreeFrames, frames.Policy.FreeFrames);
                }
                foreach (ulong f in held)
                    frames.Free(f);
            });
            Assert.Equal(Frames, frames.FreeFrames);
            Assert.Equal(Frames, frames.Policy.FreeFrames);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void ExhaustionGivesEveryFrameOnceThenZero(string policy)
    {
        var (harness, frames) = Setup(policy);
        using (harness)
        {
            var got = new HashSet<ulong>();
            harness.Run(() =>
            {
                ulong f;
                while ((f = frames.Allocate()) != 0)
                    Assert.True(got.Add(f), $"frame 0x{f:x} handed out twice");
                Assert.Equal(0UL, frames.AllocateZeroed());
                frames.Free(got.First());
                Assert.Equal(got.First(), frames.Allocate());
            });
            Assert.Equal(Frames, got.Count);
            Assert.Equal(0, frames.FreeFrames);
            Assert.Equal(2, frames.Failures);
            Assert.All(got, f => Assert.True(f >= PhysicalMemory.Base && f < harness.Memory.End));
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void FreeingAFrameTwicePanicsNamingTheAllocatorAndTheCaller(string policy)
    {
        var (harness, frames) = Setup(policy);
        using (harness)
        {
            var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
            {
                ulong f = frames.Allocate();
                frames.Free(f);
                frames.Free(f);
            }));
            string message = error.InnerException!.Message;
            Assert.Contains("freed twice", message);
            Assert.Contains($"allocator {policy}", message);
            Assert.Contains("caller FrameAllocatorTests.", message);
            Assert.Equal(Frames, frames.FreeFrames);
        }
    }

    [Theory]
    [InlineData(0x1000UL)]
    [InlineData(PhysicalMemory.Base + 12)]
    [InlineData(PhysicalMemory.Base + (1 << 20))]
    public void FreeingSomethingThatIsNoFrameOfRamPanics(ulong bad)
    {
        var (harness, frames) = Setup("segtree");
        using (harness)
        {
            var error = Assert.Throws<AggregateException>(() => harness.Run(() => frames.Free(bad)));
            Assert.Contains($"0x{bad:x} is not a frame of RAM", error.InnerException!.Message);
            Assert.Contains("allocator segtree", error.InnerException!.Message);
        }
    }

    [Fact]
    public void APolicyThatHandsOutAFrameInUseIsCaught()
    {
        using var harness = new SchedulerHarness(1);
        var frames = new FrameAllocator(harness.Memory, PhysicalMemory.Base, range => new StuckPolicy(range.First));
        var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
        {
            frames.Allocate();
            frames.Allocate();
        }));
        Assert.Contains("allocator handed out frame", error.InnerException!.Message);
        Assert.Contains("which is in use", error.InnerException!.Message);
    }

    /// <summary>A broken policy: always the same frame.</summary>
    private sealed class StuckPolicy(ulong frame) : IFramePolicy
    {
        public string Name => "stuck";
        public long FreeFrames => 1;
        public ulong Allocate() => frame;
        public void Free(ulong f)
        {
        }
        public ulong AllocateContiguous(int count) => 0;
        public IEnumerable<(string Name, long Value)> Counters() => [];
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void ThreadsOnThreeCpusNeverShareAFrame(string policy)
    {
        var (harness, frames) = Setup(policy, cpus: 3);
        using (harness)
        {
            var owner = new int[Frames];
            int overlaps = 0;
            Action worker(int id) => () =>
            {
                var random = new Random(id);
                var mine = new List<ulong>();
                for (int step = 0; step < 4000; step++)
                {
                    if (mine.Count < 30 && random.Next(2) == 0)
                    {
                        ulong f = frames.Allocate();
                        if (f == 0)
                            continue;
                        int index = (int)((f - PhysicalMemory.Base) / PhysicalMemory.PageSize);
                        if (Interlocked.CompareExchange(ref owner[index], id, 0) != 0)
                            Interlocked.Increment(ref overlaps);
                        harness.Memory.Write32(f, (uint)id);
                        mine.Add(f);
                    }
                    else if (mine.Count > 0)
                    {
                        ulong f = mine[^1];
                        mine.RemoveAt(mine.Count - 1);
                        if (harness.Memory.Read32(f) != (uint)id)
                            Interlocked.Increment(ref overlaps);
                        owner[(int)((f - PhysicalMemory.Base) / PhysicalMemory.PageSize)] = 0;
                        frames.Free(f);
                    }
                    if (step % 500 == 0)
                        harness.Scheduler.Yield();
                }
                foreach (ulong f in mine)
                {
                    owner[(int)((f - PhysicalMemory.Base) / PhysicalMemory.PageSize)] = 0;
                    frames.Free(f);
                }
            };
            harness.Run(Enumerable.Range(1, 6).Select(worker).ToArray());
            Assert.Equal(0, overlaps);
            Assert.Equal(Frames, frames.FreeFrames);
            Assert.Equal(Frames, frames.Policy.FreeFrames);
        }
    }

    [Fact]
    public void BootTouchesNoFrame()
    {
        foreach (string policy in FrameAllocator.PolicyNames)
        {
            var (harness, frames) = Setup(policy);
            using (harness)
            {
                harness.Run(() =>
                {
                    ulong f = frames.Allocate();
                    frames.Free(f);
                });
                // Only the frame handed out was written (junk); the rest of RAM is still zero.
                int touched = 0;
                for (ulong a = PhysicalMemory.Base; a < harness.Memory.End; a += PhysicalMemory.PageSize)
                    touched += harness.Memory.Read64(a + 64) != 0 ? 1 : 0;
                Assert.Equal(1, touched);
            }
        }
    }
}
