using Osprey.Kernel.Sched;
using Osprey.Kernel.Tests.Support;
using Mutex = Osprey.Kernel.Sync.Mutex;

namespace Osprey.Kernel.Tests.Sync;

public class MutexTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void KeepsACounterExactWhileHoldersArePreempted(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var mutex = new Mutex(harness.Scheduler, "counter");
        long counter = 0;
        const int Threads = 6, Rounds = 1_000; // on one CPU nearly every unlock is a hand-off: a host-thread switch each
        harness.Run(Enumerable.Range(0, Threads).Select(_ => (Action)(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                mutex.Lock();
                long seen = counter;
                if (i % 7 == 0)
                    harness.Scheduler.Yield(); // the holder loses its CPU: others must sleep, not get in
                counter = seen + 1;
                mutex.Unlock();
            }
        })).ToArray());
        Assert.Equal(Threads * Rounds, counter);
        Assert.Equal(Threads * Rounds, mutex.Stats.Acquisitions);
        Assert.True(mutex.Stats.Contended > 0, "no acquisition ever had to wait");
        Assert.Equal(mutex.Stats.Contended, mutex.HandOffs);
        Assert.Null(mutex.Holder);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void UnlockHandsTheMutexToTheFirstWaiterInArrivalOrder(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var mutex = new Mutex(harness.Scheduler, "fifo");
        var order = new EventLog<int>();
        var waiters = new KThread?[4];
        bool bargerGotIn = true;
        int ownerHolds = 0;
        KThread? holderAfterUnlock = null;

        Action waiter(int n) => () =>
        {
            // Each waiter queues only once the one before it is queued, so arrival order is n.
            harness.YieldUntil(() => Volatile.Read(ref ownerHolds) == 1 && mutex.Waiting == n, $"waiter {n} queues after {n} others");
            waiters[n] = KThread.Current;
            mutex.Lock();
            order.Add(n); // under the mutex
            mutex.Unlock();
        };
        Action owner = () =>
        {
            mutex.Lock();
            Volatile.Write(ref ownerHolds, 1);
            harness.YieldUntil(() => mutex.Waiting == waiters.Length, "every waiter queued");
            mutex.Unlock();
            holderAfterUnlock = mutex.Holder;
            bargerGotIn = mutex.TryLock(); // handed over already: no barging, even by the old holder
        };
        harness.Run([owner, .. Enumerable.Range(0, waiters.Length).Select(waiter)]);

        Assert.Equal([0, 1, 2, 3], order.Events);
        Assert.False(bargerGotIn);
        Assert.Same(waiters[0], holderAfterUnlock);
    }

    [Fact]
    public void KnowsItsHolder()
    {
        using var harness = new SchedulerHarness(1);
        var mutex = new Mutex(harness.Scheduler, "holder");
        harness.Run(() =>
        {
            Assert.Null(mutex.Holder);
            mutex.Lock();
            Assert.Same(KThread.Current, mutex.Holder);
            Assert.True(mutex.Holding());
            mutex.Unlock();
            Assert.False(mutex.Holding());
        });
    }

    [Fact]
    public void RelockingByTheHolderPanics()
    {
        using var harness = new SchedulerHarness(1);
        var mutex = new Mutex(harness.Scheduler, "twice");
        var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
        {
            mutex.Lock();
            try
            {
                mutex.Lock();
            }
            finally
            {
                mutex.Unlock();
            }
        }));
        Assert.Contains("locked again", error.InnerException!.Message);
    }

    [Fact]
    public void UnlockingWithoutHoldingPanics()
    {
        using var harness = new SchedulerHarness(1);
        var mutex = new Mutex(harness.Scheduler, "never");
        var error = Assert.Throws<AggregateException>(() => harness.Run(() => mutex.Unlock()));
        Assert.Contains("does not hold it", error.InnerException!.Message);
    }
}
