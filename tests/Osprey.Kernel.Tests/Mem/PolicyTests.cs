using Osprey.Kernel.Mem;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Tests.Support;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Mem;

/// <summary>What only some policies do: percpu's stealing, and the contiguous runs of segtree and bitmap.</summary>
public class PolicyTests
{
    private const int Frames = 256;

    private static FramePolicyRange Range(SchedulerHarness harness) => new(harness.Memory, PhysicalMemory.Base, harness.Memory.End);

    [Fact]
    public void PercpuStartsWithAnEvenSplitAndStealsWhenOneCpuTakesEverything()
    {
        using var harness = new SchedulerHarness(1);
        var policy = new PerCpuPolicy(Range(harness), cpus: 2);
        Assert.Equal(Frames / 2, policy.FreeOn(0));
        Assert.Equal(Frames / 2, policy.FreeOn(1));
        var got = new HashSet<ulong>();
        harness.Run(() =>
        {
            Cpu.PushOff();
            // CPU 0 takes every frame: its own half, then the other's by stealing.
            ulong f;
            while ((f = policy.AllocateFrom(0)) != 0)
                Assert.True(got.Add(f));
            Assert.Equal(0UL, policy.AllocateFrom(1));
            // CPU 0 frees a few frames onto its list; CPU 1, empty, must steal them from there.
            ulong[] back = got.Take(8).ToArray();
            foreach (ulong b in back)
                policy.FreeTo(0, b);
            Assert.Equal(8, policy.FreeOn(0));
            ulong stolen = policy.AllocateFrom(1);
            Assert.Contains(stolen, back);
            Assert.Equal(3, policy.FreeOn(1)); // half of the 8, less the one taken
            Assert.Equal(4, policy.FreeOn(0));
            Cpu.PopOff();
        });
        Assert.Equal(Frames, got.Count);
        Assert.True(policy.Steals >= 2, $"{policy.Steals} steals");
        Assert.Equal(7, policy.FreeFrames);
    }

    [Fact]
    public void PercpuStealsHalfOfAnUntouchedFrontierWithoutWritingToIt()
    {
        using var harness = new SchedulerHarness(1);
        var policy = new PerCpuPolicy(Range(harness), cpus: 4);
        harness.Run(() =>
        {
            Cpu.PushOff();
            for (int i = 0; i < Frames / 4; i++)
                Assert.NotEqual(0UL, policy.AllocateFrom(0));
            Assert.NotEqual(0UL, policy.AllocateFrom(0)); // a steal
            Cpu.PopOff();
        });
        Assert.Equal(1, policy.Steals);
        Assert.Equal(Frames / 8, policy.StolenFrames);
        Assert.Equal(Frames / 8 - 1, policy.FreeOn(0));
        Assert.Equal(Frames / 8, policy.FreeOn(1));
        for (ulong a = PhysicalMemory.Base; a < harness.Memory.End; a += PhysicalMemory.PageSize)
            Assert.Equal(0UL, harness.Memory.Read64(a));
    }

    public static TheoryData<string> RunFinders() => new() { "segtree", "bitmap" };

    private static IFramePolicy Create(string name, SchedulerHarness harness) => FrameAllocator.CreatePolicy(name, Range(harness), 1);

    [Theory]
    [MemberData(nameof(RunFinders))]
    public void ContiguousRunsAreFoundLeftmostAndExactly(string name)
    {
        using var harness = new SchedulerHarness(1);
        IFramePolicy policy = Create(name, harness);
        FramePolicyRange range = Range(harness);
        harness.Run(() =>
        {
            var all = new List<ulong>();
            ulong f;
            while ((f = policy.Allocate()) != 0)
                all.Add(f);
            // Free runs of 1, 3, 5 and 7 frames with used frames between them.
            int[] starts = [10, 20, 40, 100];
            int[] lengths = [1, 3, 5, 7];
            for (int r = 0; r < starts.Length; r++)
                for (int i = 0; i < lengths[r]; i++)
                    policy.Free(range.FrameAt(starts[r] + i));
            Assert.Equal(0UL, policy.AllocateContiguous(8));
            Assert.Equal(range.FrameAt(40), policy.AllocateContiguous(4));
            Assert.Equal(range.FrameAt(100), policy.AllocateContiguous(6));
            Assert.Equal(range.FrameAt(20), policy.AllocateContiguous(2));
            Assert.Equal(range.FrameAt(10), policy.AllocateContiguous(1));
            Assert.Equal(range.FrameAt(22), policy.Allocate());
            Assert.Equal(range.FrameAt(44), policy.Allocate());
            Assert.Equal(range.FrameAt(106), policy.Allocate());
            Assert.Equal(0UL, policy.Allocate());
            Assert.Equal(0, policy.FreeFrames);
        });
    }

    [Theory]
    [MemberData(nameof(RunFinders))]
    public void AWholeMemoryRunAndRunsAcrossTheTreesMiddle(string name)
    {
        using var harness = new SchedulerHarness(1);
        IFramePolicy policy = Create(name, harness);
        FramePolicyRange range = Range(harness);
        harness.Run(() =>
        {
            Assert.Equal(0UL, policy.AllocateContiguous(Frames + 1));
            Assert.Equal(range.First, policy.AllocateContiguous(Frames));
            // Give back the middle: frames 100..155 straddle the halves of the tree.
            for (int i = 100; i < 156; i++)
                policy.Free(range.FrameAt(i));
            Assert.Equal(range.FrameAt(100), policy.AllocateContiguous(56));
            Assert.Equal(0, policy.FreeFrames);
        });
    }

    [Fact]
    public void TheFrontDoorClaimsEveryFrameOfARun()
    {
        using var harness = new SchedulerHarness(1);
        var frames = new FrameAllocator(harness.Memory, PhysicalMemory.Base, "segtree");
        harness.Run(() =>
        {
            ulong run = frames.AllocateContiguous(16);
            Assert.NotEqual(0UL, run);
            Assert.Equal(Frames - 16, frames.FreeFrames);
            for (int i = 0; i < 16; i++)
            {
                Assert.True(frames.InUse(run + (ulong)i * PhysicalMemory.PageSize));
                frames.Free(run + (ulong)i * PhysicalMemory.PageSize);
            }
        });
        Assert.Equal(Frames, frames.FreeFrames);
        Assert.Equal(0UL, new FrameAllocator(harness.Memory, PhysicalMemory.Base, "freelist").Policy.AllocateContiguous(2));
    }

    [Fact]
    public void TheBitmapScansMoreAsMemoryFills()
    {
        using var harness = new SchedulerHarness(1);
        var policy = new BitmapPolicy(Range(harness));
        long emptyCost = 0, fullCost = 0;
        harness.Run(() =>
        {
            long before = policy.WordsScanned;
            policy.Free(policy.Allocate());
            emptyCost = policy.WordsScanned - before;
            var all = new List<ulong>();
            ulong f;
            while ((f = policy.Allocate()) != 0)
                all.Add(f);
            // The one free frame is in the word just before the cursor's: the scan goes round.
            policy.Free(all[130]);
            before = policy.WordsScanned;
            Assert.Equal(all[130], policy.Allocate());
            fullCost = policy.WordsScanned - before;
        });
        Assert.Equal(1, emptyCost);
        Assert.Equal(Frames / 64, fullCost);
    }
}
