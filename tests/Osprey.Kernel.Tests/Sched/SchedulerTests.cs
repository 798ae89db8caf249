using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sched;

public class SchedulerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SpinlockKeepsACounterExactUnderContention(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var counterLock = new Spinlock("counter");
        long counter = 0;
        const int Threads = 6, Rounds = 20_000;

        harness.Run(Enumerable.Range(0, Threads).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                counterLock.Acquire();
                long seen = counter;
                Thread.SpinWait(20); // widen the window in which a second CPU could interleave
                counter = seen + 1;
                counterLock.Release();
                if (i % 1000 == 0)
                    harness.Scheduler.Yield(); // hand-overs between rounds, too
            }
        })).ToArray());

        Assert.Equal(Threads * Rounds, counter);
        Assert.Equal(Threads * Rounds, counterLock.Stats.Acquisitions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SleepAndWakeupPassATokenWithoutLosingWakeups(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var guard = new Spinlock("token");
        int token = 0;
        const int Rounds = 2_000;

        // Two threads take turns: each waits until the token is its parity, then passes it.
        Action player(int parity) => () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                guard.Acquire();
                while (token % 2 != parity)
                    harness.Scheduler.Sleep(guard, guard);
                token++;
                harness.Scheduler.Wakeup(guard);
                guard.Release();
            }
        };

        harness.Run(player(0), player(1));
        Assert.Equal(2 * Rounds, token);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AWakeThreadBeforeTheSleepIsNotLost(int cpus)
    {
        // kill's window: the target checks "killed?" under its condition lock, the kill then
        // marks it and wakes it before it sleeps. The wakeup must carry over to the sleep.
        using var harness = new SchedulerHarness(cpus);
        var guard = new Spinlock("condition");
        bool returned = false;
        harness.Run(() =>
        {
            KThread me = Scheduler.CurrentThread();
            guard.Acquire();
            harness.Scheduler.WakeThread(me); // nobody will ever Wakeup(guard)
            harness.Scheduler.Sleep(guard, guard);
            returned = true;
            guard.Release();
        });
        Assert.True(returned);
    }

    [Fact]
    public void ReacquiringAHeldSpinlockPanics()
    {
        using var harness = new SchedulerHarness(1);
        var lk = new Spinlock("twice");
        var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
        {
            lk.Acquire();
            try
            {
                lk.Acquire();
            }
            finally
            {
                lk.Release();
            }
        }));
        Assert.Contains("already held", error.InnerException!.Message);
    }

    [Fact]
    public void ReleasingAnUnheldSpinlockPanics()
    {
        using var harness = new SchedulerHarness(1);
        var lk = new Spinlock("never");
        var error = Assert.Throws<AggregateException>(() => harness.Run(() => lk.Release()));
        Assert.Contains("not held", error.InnerException!.Message);
    }

    [Fact]
    public void ManyThreadsEachGetACpuAndFinish()
    {
        using var harness = new SchedulerHarness(3);
        int finished = 0;
        harness.Run(Enumerable.Range(0, 50).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < 10; i++)
                harness.Scheduler.Yield();
            Interlocked.Increment(ref finished);
        })).ToArray());
        Assert.Equal(50, finished);
        Assert.True(harness.Scheduler.Cpus.Sum(c => c.ContextSwitches) >= 50);
    }
}
