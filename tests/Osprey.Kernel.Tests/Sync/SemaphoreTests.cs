using Osprey.Kernel.Sched;
using Osprey.Kernel.Tests.Support;
using Semaphore = Osprey.Kernel.Sync.Semaphore;

namespace Osprey.Kernel.Tests.Sync;

public class SemaphoreTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void NoMoreThanItsCountAreInsideAtOnce(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        const int Permits = 2, Threads = 6, Rounds = 1_000;
        var sem = new Semaphore(harness.Scheduler, "permits", Permits);
        int inside = 0, most = 0, passes = 0;
        harness.Run(Enumerable.Range(0, Threads).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                sem.Wait();
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                if (i % 5 == 0)
                    harness.Scheduler.Yield();
                Interlocked.Increment(ref passes);
                Interlocked.Decrement(ref inside);
                sem.Signal();
            }
        })).ToArray());
        Assert.Equal(Threads * Rounds, passes);
        Assert.InRange(most, 1, Permits);
        Assert.Equal(Permits, sem.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SignalHandsItsUnitToTheFirstWaiter(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var sem = new Semaphore(harness.Scheduler, "handoff", 0);
        var order = new EventLog<int>();
        bool lateArrivalGotIt = true;
        Action waiter(int n) => () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref sem.Stats.Contended) == n, $"waiter {n} queues after {n} others");
            sem.Wait();
            order.Add(n);
        };
        Action signaller = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref sem.Stats.Contended) == 3, "three waiters asleep");
            for (int i = 0; i < 3; i++)
                sem.Signal();
            lateArrivalGotIt = sem.TryWait(); // every unit went to a sleeper, none to the count
        };
        harness.Run([signaller, .. Enumerable.Range(0, 3).Select(waiter)]);
        Assert.False(lateArrivalGotIt);
        Assert.Equal(3, order.Events.Count);
        if (cpus == 1)
            Assert.Equal([0, 1, 2], order.Events); // one CPU: they run in the order they were woken
        Assert.Equal(0, sem.Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
