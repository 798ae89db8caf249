using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;
using Mutex = Osprey.Kernel.Sync.Mutex;

namespace Osprey.Kernel.Tests.Sync;

public class CondVarTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ABoundedBufferLosesNothingAndNeverOverfills(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var mutex = new Mutex(harness.Scheduler, "buffer");
        var notFull = new CondVar(harness.Scheduler, "notfull");
        var notEmpty = new CondVar(harness.Scheduler, "notempty");
        var buffer = new Queue<int>();
        const int Capacity = 3, Producers = 3, Consumers = 3, Items = 2_000;
        long consumedSum = 0;
        int consumed = 0, maxSeen = 0;

        Action producer(int p) => () =>
        {
            for (int i = 0; i < Items; i++)
            {
                mutex.Lock();
                while (buffer.Count == Capacity)
                    notFull.Wait(mutex);
                buffer.Enqueue(p * Items + i);
                maxSeen = Math.Max(maxSeen, buffer.Count);
                notEmpty.Signal();
                mutex.Unlock();
            }
        };
        Action consumer = () =>
        {
            for (int i = 0; i < Items; i++)
            {
                mutex.Lock();
                while (buffer.Count == 0)
                    notEmpty.Wait(mutex);
                consumedSum += buffer.Dequeue();
                consumed++;
                notFull.Signal();
                mutex.Unlock();
            }
        };
        harness.Run([.. Enumerable.Range(0, Producers).Select(producer), .. Enumerable.Repeat(consumer, Consumers)]);

        long n = Producers * Items;
        Assert.Equal(n, consumed);
        Assert.Equal(n * (n - 1) / 2, consumedSum);
        Assert.True(maxSeen <= Capacity);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StrictAlternationNeverLosesAWakeup(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var mutex = new Mutex(harness.Scheduler, "turn");
        var changed = new CondVar(harness.Scheduler, "changed");
        int turn = 0;
        const int Rounds = 3_000;
        Action player(int me) => () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                mutex.Lock();
                while (turn % 2 != me)
                    changed.Wait(mutex);
                turn++;
                changed.Signal();
                mutex.Unlock();
            }
        };
        harness.Run(player(0), player(1));
        Assert.Equal(2 * Rounds, turn);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BroadcastWakesEveryWaiter(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var mutex = new Mutex(harness.Scheduler, "gate");
        var opened = new CondVar(harness.Scheduler, "opened");
        bool open = false;
        int waiting = 0, through = 0;
        const int Waiters = 8;
        Action waiter = () =>
        {
            mutex.Lock();
            waiting++;
            while (!open)
                opened.Wait(mutex);
            through++;
            mutex.Unlock();
        };
        Action opener = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref waiting) == Waiters, "every waiter waiting");
            mutex.Lock();
            open = true;
            opened.Broadcast();
            mutex.Unlock();
        };
        harness.Run([opener, .. Enumerable.Repeat(waiter, Waiters)]);
        Assert.Equal(Waiters, through);
        Assert.Equal(Waiters, opened.Stats.Contended);
    }

    [Fact]
    public void WaitingWithoutTheMutexPanics()
    {
        using var harness = new SchedulerHarness(1);
        var mutex = new Mutex(harness.Scheduler, "m");
        var cv = new CondVar(harness.Scheduler, "cv");
        var error = Assert.Throws<AggregateException>(() => harness.Run(() => cv.Wait(mutex)));
        Assert.Contains("without holding", error.InnerException!.Message);
    }
}
