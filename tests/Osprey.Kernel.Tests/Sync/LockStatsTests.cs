using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sync;

/// <summary>The lock registry's figures, and the three formats they are printed in, line by line.</summary>
public class LockStatsTests
{
    [Fact]
    public void APlantedContendedLockCountsItsWaitsAndSpins()
    {
        using var harness = new SchedulerHarness(3);
        var hot = new Spinlock("hot");
        const int Threads = 3, Rounds = 3000;
        harness.Run(Enumerable.Range(0, Threads).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                hot.Acquire();
                Thread.SpinWait(200); // a long hold, so that the other CPUs find it taken
                hot.Release();
            }
        })).ToArray());
        LockStats s = hot.Stats;
        Assert.Equal(Threads * Rounds, s.Acquisitions);
        Assert.Equal(Threads * Rounds, s.Holds);
        Assert.True(s.Contended > 0, "no acquisition found the lock held");
        Assert.True(s.SpinIterations >= s.Contended, $"{s.SpinIterations} spins for {s.Contended} contended acquisitions");
        Assert.True(s.WaitTotal > 0 && s.WaitMax >= s.ShortestWait && s.ShortestWait > 0);
        Assert.True(s.HoldTotal > 0 && s.HoldMax >= s.ShortestHold);
        Assert.Same(hot.Entry, Assert.Single(harness.Locks.Entries(), e => e.Name == "hot"));
    }

    [Fact]
    public void AnUncontendedLockCountsNoSpins()
    {
        using var harness = new SchedulerHarness(1);
        var quiet = new Spinlock("quiet");
        harness.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                quiet.Acquire();
                quiet.Release();
            }
        });
        Assert.Equal(100, quiet.Stats.Acquisitions);
        Assert.Equal(0, quiet.Stats.Contended);
        Assert.Equal(0, quiet.Stats.SpinIterations);
        Assert.Equal(0, quiet.Stats.WaitTotal);
    }

    [Fact]
    public void ASleepLockCountsTheAcquisitionsThatSlept()
    {
        using var harness = new SchedulerHarness(2);
        var sleepy = new SleepLock(harness.Scheduler, "sleepy");
        harness.Run(Enumerable.Range(0, 4).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                sleepy.Acquire();
                harness.Scheduler.Yield(); // hold it across a hand-over, so others must sleep
                sleepy.Release();
            }
        })).ToArray());
        Assert.Equal(200, sleepy.Stats.Acquisitions);
        Assert.True(sleepy.Sleeps > 0);
        Assert.Equal(LockKind.Sleep, sleepy.Entry!.Kind);
        Assert.True(sleepy.Stats.WaitTotal > 0);
    }

    /// <summary>A registry of locks whose figures are set by hand, so that every printed number is known.</summary>
    private static LockRegistry Planted(bool deterministic = false)
    {
        var locks = new LockRegistry([], deterministic);
        void Add(string name, string? className, long acquisitions, long contended, long spins, long waitTotal, long waitMin, long waitMax, long holdTotal, long holdMin, long holdMax)
        {
            var s = new LockStats
            {
                Acquisitions = acquisitions,
                Contended = contended,
                SpinIterations = spins,
                Holds = acquisitions,
                HoldTotal = holdTotal,
                HoldMin = holdMin,
                HoldMax = holdMax,
            };
            if (contended > 0)
            {
                s.WaitTotal = waitTotal;
                s.WaitMin = waitMin;
                s.WaitMax = waitMax;
            }
            LockEntry? slot = null;
            locks.Register(ref slot, name, className, s, LockKind.Spin);
        }
        Add("kmem.cpu0", "kmem.cpu", 1000, 10, 250, 50_000, 1_000, 9_990, 2_000_000, 1_500, 3_000);
        Add("kmem.cpu1", "kmem.cpu", 500, 0, 0, 0, 0, 0, 600_000, 1_000, 2_000);
        Add("bcache.bucket", null, 300, 2, 7, 4_000, 1_000, 3_000, 90_000, 200, 900);
        Add("bcache.bucket", null, 100, 1, 3, 500, 500, 500, 30_000, 300, 300);
        Add("proc", null, 2000, 5, 900, 20_000, 100, 10_000, 1_000_000, 100, 5_000);
        Add("idle", null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return locks;
    }

    [Fact]
    public void CtrlLPrintsThePerfLinesOfTheKuLeuvenFork()
    {
        using var harness = new SchedulerHarness(1);
        string text = LockReports.Perf(Planted());
        Assert.Equal(
            "[perf] lock=kmem.cpu0, #acquires=1000, contention=250\n" +
            "[perf] lock=kmem.cpu1, #acquires=500, contention=0\n" +
            "[perf] lock=bcache.bucket, #acquires=400, contention=10\n" +
            "[perf] lock=proc, #acquires=2000, contention=900\n" +
            "[perf] totals for shown locks, #acquires=3900, contention=1160\n", text);
    }

    [Fact]
    public void TheStatisticsDeviceTextIsTheMitLabs()
    {
        using var harness = new SchedulerHarness(1);
        string text = LockReports.Statistics(Planted());
        Assert.Equal(
            "--- lock kmem/bcache stats\n" +
            "lock: kmem.cpu0: #test-and-set 250 #acquire() 1000\n" +
            "lock: kmem.cpu1: #test-and-set 0 #acquire() 500\n" +
            "lock: bcache.bucket: #test-and-set 10 #acquire() 400\n" +
            "--- top 5 contended locks:\n" +
            "lock: proc: #test-and-set 900 #acquire() 2000\n" +
            "lock: kmem.cpu0: #test-and-set 250 #acquire() 1000\n" +
            "lock: bcache.bucket: #test-and-set 10 #acquire() 400\n" +
            "lock: kmem.cpu1: #test-and-set 0 #acquire() 500\n" +
            "tot= 260\n", text);
    }

    [Fact]
    public void LockstatPrintsLinuxsTableByClassSortedByContentions()
    {
        using var harness = new SchedulerHarness(1);
        string[] lines = LockReports.LockStat(Planted()).Split('\n');
        string rule = new('-', 41 + 10 * 15);
        Assert.Equal("lock_stat version 0.4", lines[0]);
        Assert.Equal(rule, lines[1]);
        Assert.Equal("                              class name    contentions   waittime-min   waittime-max waittime-total   waittime-avg   acquisitions   holdtime-min   holdtime-max holdtime-total   holdtime-avg", lines[2]);
        Assert.Equal(rule, lines[3]);
        Assert.Equal("", lines[4]);
        Assert.Equal("                               kmem.cpu:             10           1.00           9.99          50.00           5.00           1500           1.00           3.00        2600.00           1.73", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Equal(new string('.', 41 + 10 * 15), lines[7]);
        Assert.Equal("", lines[8]);
        Assert.Equal("                                   proc:              5           0.10          10.00          20.00           4.00           2000           0.10           5.00        1000.00           0.50", lines[9]);
        Assert.Equal("                          bcache.bucket:              3           0.50           3.00           4.50           1.50            400           0.20           0.90         120.00           0.30", lines[13]);
        Assert.Equal(15, lines.Length); // and a final newline
        Assert.DoesNotContain(lines, l => l.Contains("idle"));
    }

    [Fact]
    public void LockstatShowsTheInstancesOfAClassOnRequest()
    {
        using var harness = new SchedulerHarness(1);
        string text = LockReports.LockStat(Planted(), instances: true);
        Assert.Contains("\n                              kmem.cpu0:             10           1.00           9.99          50.00           5.00           1000", text);
        Assert.Contains("\n                              kmem.cpu1:              0           0.00           0.00           0.00           0.00            500", text);
        Assert.Contains("\n                        bcache.bucket#0:              2", text);
        Assert.Contains("\n                        bcache.bucket#1:              1", text);
        Assert.DoesNotContain("proc#0", text); // a class of one lock is its own row
    }

    [Fact]
    public void DeterministicTimesAreWholeInstructionCounts()
    {
        LockRegistry locks = Planted(deterministic: true);
        Assert.Equal(0, locks.Now());
        Assert.Equal("retired instructions", locks.TimeUnit);
        Assert.Equal("                               kmem.cpu:             10           1000           9990          50000           5000           1500           1000           3000        2600000           1733",
            LockReports.LockStat(locks).Split('\n')[5]);
    }

    [Fact]
    public void ResetZeroesEveryCounterAndARetiredLockStaysInItsClass()
    {
        LockRegistry locks = Planted();
        LockEntry? slot = null;
        LockEntry pipe = locks.Register(ref slot, "pipe", null, new LockStats { Acquisitions = 3 }, LockKind.Spin);
        Assert.Same(pipe, slot);
        locks.Retire(pipe);
        LockClass pipes = locks.Class("pipe");
        Assert.Empty(locks.Instances(pipes));
        Assert.Equal(3, locks.Sum(pipes).Acquisitions);
        Assert.Contains("[perf] lock=pipe, #acquires=3, contention=0\n", LockReports.Perf(locks));
        locks.ResetAll();
        Assert.All(locks.Entries(), e => Assert.Equal(0, e.Stats.Acquisitions + e.Stats.SpinIterations + e.Stats.Contended + e.Stats.HoldTotal));
        Assert.Equal(0, locks.Sum(pipes).Acquisitions);
        Assert.Equal("[perf] totals for shown locks, #acquires=0, contention=0\n", LockReports.Perf(locks));
        Assert.Equal("--- lock kmem/bcache stats\n--- top 5 contended locks:\ntot= 0\n", LockReports.Statistics(locks));
    }
}
