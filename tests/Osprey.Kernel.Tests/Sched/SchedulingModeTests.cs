using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;
using ThreadState = Osprey.Kernel.Sched.ThreadState;

namespace Osprey.Kernel.Tests.Sched;

/// <summary>What each misbehave mode changes, decided in one place (Scheduler), seen on one CPU.</summary>
public class SchedulingModeTests
{
    [Theory]
    [InlineData(SchedulingMode.Normal, "creator")]
    [InlineData(SchedulingMode.NewThreadFirst, "created")]
    public void ANewThreadRunsFirstOnlyWhenAsked(SchedulingMode mode, string first)
    {
        using var harness = new SchedulerHarness(1);
        var log = new EventLog<string>();
        SchedulingMode inherited = SchedulingMode.Normal;
        harness.Run(() =>
        {
            KThread me = KThread.Current!;
            me.Mode = mode;
            using var done = new ManualResetEventSlim();
            KThread created = harness.Scheduler.CreateThread("created", () =>
            {
                inherited = KThread.Current!.Mode;
                log.Add("created");
                done.Set();
            });
            harness.Scheduler.StartCreated(me, created);
            log.Add("creator");
            harness.YieldUntil(() => done.IsSet, "the created thread ran");
        });
        Assert.Equal(first, log.Events[0]);
        Assert.Equal(mode, inherited);
    }

    [Theory]
    [InlineData(SchedulingMode.Normal, "filler")]
    [InlineData(SchedulingMode.WokenThreadFirst, "woken")]
    public void AWokenThreadJumpsTheQueueOnlyWhenAsked(SchedulingMode mode, string first)
    {
        using var harness = new SchedulerHarness(1);
        var log = new EventLog<string>();
        var chan = new Spinlock("chan");
        KThread? sleeper = null;
        bool stop = false;
        int seen = -1;
        Action sleeping = () =>
        {
            sleeper = KThread.Current;
            sleeper!.Mode = mode;
            chan.Acquire();
            harness.Scheduler.Sleep(chan, chan);
            chan.Release();
            log.Add("woken");
        };
        Action filler = () =>
        {
            while (!Volatile.Read(ref stop))
            {
                log.Add("filler");
                harness.Scheduler.Yield();
            }
        };
        Action waker = () =>
        {
            // Both fillers in the run queue (they were submitted after us), and the sleeper asleep.
            harness.YieldUntil(() => sleeper?.State == ThreadState.Sleeping && log.Events.Count(e => e == "filler") >= 2, "asleep, fillers running");
            seen = log.Events.Count;
            harness.Scheduler.Wakeup(chan);
            harness.Scheduler.Yield();
            harness.YieldUntil(() => log.Events.Contains("woken"), "the woken thread ran");
            Volatile.Write(ref stop, true);
        };
        harness.Run(sleeping, waker, filler, filler);
        Assert.Equal(first, log.Events[seen]);
    }

    [Fact]
    public void SlicesEndWhereTheModeSays()
    {
        var t = new KThread(7, "t", () => { });
        Assert.False(Scheduler.SliceOver(t, tickSliceOver: false, systemCall: true));
        Assert.True(Scheduler.SliceOver(t, tickSliceOver: true, systemCall: false));
        Assert.Equal(1 << 20, Scheduler.UserBudget(t, 1 << 20));

        t.Mode = SchedulingMode.YieldAtSystemCallReturn;
        Assert.True(Scheduler.SliceOver(t, tickSliceOver: false, systemCall: true));
        Assert.False(Scheduler.SliceOver(t, tickSliceOver: false, systemCall: false));

        t.Mode = SchedulingMode.ShortSlices;
        Assert.Equal(Scheduler.ShortSlice, Scheduler.UserBudget(t, 1 << 20));
        Assert.True(Scheduler.SliceOver(t, tickSliceOver: false, systemCall: false));
    }
}
