using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;
using ThreadState = Osprey.Kernel.Sched.ThreadState;
using Mutex = Osprey.Kernel.Sync.Mutex;
using Semaphore = Osprey.Kernel.Sync.Semaphore;

namespace Osprey.Kernel.Tests.Sched;

/// <summary>The scheduler calls under Pebbles' system calls, on kernel threads: yield to a thread, deschedule, timed sleep, the misbehave modes.</summary>
public class SchedulerCallTests
{
    /// <summary>Threads that log their name each time they run, until told to stop.</summary>
    private sealed class Fillers(SchedulerHarness harness, EventLog<string> log)
    {
        public volatile bool Stop;

        public Action Named(string name, KThread?[] tids, int index) => () =>
        {
            tids[index] = KThread.Current;
            while (!Stop)
            {
                log.Add(name);
                harness.Scheduler.Yield();
            }
        };
    }

    [Fact]
    public void YieldToRunsTheNamedRunnableThreadNext()
    {
        using var harness = new SchedulerHarness(1);
        var log = new EventLog<string>();
        var fillers = new Fillers(harness, log);
        var threads = new KThread?[3];
        string? nextAfterYield = null;
        YieldResult result = YieldResult.NotRunnable;
        Action caller = () =>
        {
            harness.YieldUntil(() => threads.All(t => t != null), "fillers started");
            int seen = log.Events.Count;
            result = harness.Scheduler.YieldTo(threads[2]!.Id); // "c" waits behind "a" and "b"
            nextAfterYield = log.Events[seen];
            fillers.Stop = true;
        };
        harness.Run(caller, fillers.Named("a", threads, 0), fillers.Named("b", threads, 1), fillers.Named("c", threads, 2));
        Assert.Equal(YieldResult.Yielded, result);
        Assert.Equal("c", nextAfterYield);
    }

    [Fact]
    public void YieldToAThreadBlockedOnAMutexRunsTheHolderAtTheEndOfTheChain()
    {
        using var harness = new SchedulerHarness(1);
        var log = new EventLog<string>();
        var outer = new Mutex(harness.Scheduler, "outer");
        var inner = new Mutex(harness.Scheduler, "inner");
        var fillers = new Fillers(harness, log);
        var threads = new KThread?[2];
        KThread? waiter = null, middle = null;
        string? nextAfterYield = null;
        bool release = false;
        Action lastHolder = () =>
        {
            inner.Lock();
            while (!Volatile.Read(ref release))
            {
                log.Add("last holder");
                harness.Scheduler.Yield();
            }
            inner.Unlock();
        };
        Action middleHolder = () =>
        {
            harness.YieldUntil(() => inner.Holder != null, "inner held");
            middle = KThread.Current;
            outer.Lock();
            inner.Lock(); // blocks: holds outer, waits for inner
            inner.Unlock();
            outer.Unlock();
        };
        Action blockedWaiter = () =>
        {
            harness.YieldUntil(() => middle != null && outer.Holder == middle && inner.Waiting == 1, "middle blocked on inner");
            waiter = KThread.Current;
            outer.Lock();
            outer.Unlock();
        };
        Action caller = () =>
        {
            harness.YieldUntil(() => waiter != null && outer.Waiting == 1 && threads.All(t => t != null), "the chain built");
            int seen = log.Events.Count;
            harness.Scheduler.YieldTo(waiter!.Id); // waiter → outer → middle → inner → last holder
            nextAfterYield = log.Events[seen];
            fillers.Stop = true;
            Volatile.Write(ref release, true);
        };
        harness.Run(caller, fillers.Named("filler", threads, 0), fillers.Named("filler", threads, 1), lastHolder, middleHolder, blockedWaiter);
        Assert.Equal("last holder", nextAfterYield);
    }

    [Fact]
    public void YieldToRefusesThreadsItCannotRunAndIdsThatAreNotThreads()
    {
        using var harness = new SchedulerHarness(1);
        var sem = new Semaphore(harness.Scheduler, "never", 0);
        var lk = new Spinlock("chan");
        KThread? sleeper = null, blocked = null, descheduled = null;
        var results = new Dictionary<string, YieldResult>();
        int done = 0;
        Action sleeping = () =>
        {
            sleeper = KThread.Current;
            lk.Acquire();
            harness.Scheduler.Sleep(lk, lk); // woken by the checker
            lk.Release();
        };
        Action semaphore = () =>
        {
            blocked = KThread.Current;
            sem.Wait();
        };
        Action desched = () =>
        {
            descheduled = KThread.Current;
            harness.Scheduler.BeginDeschedule();
            harness.Scheduler.FinishDeschedule(reject: false, stop: false);
        };
        Action checker = () =>
        {
            harness.YieldUntil(() => sleeper?.State == ThreadState.Sleeping && blocked?.State == ThreadState.Blocked
                && descheduled?.State == ThreadState.Descheduled, "all three waiting");
            results["sleeping"] = harness.Scheduler.YieldTo(sleeper!.Id);
            results["semaphore"] = harness.Scheduler.YieldTo(blocked!.Id);
            results["descheduled"] = harness.Scheduler.YieldTo(descheduled!.Id);
            results["zero"] = harness.Scheduler.YieldTo(0);
            results["idle"] = harness.Scheduler.YieldTo(-2);
            results["unknown"] = harness.Scheduler.YieldTo(int.MaxValue);
            results["self"] = harness.Scheduler.YieldTo(KThread.Current!.Id);
            results["anyone"] = harness.Scheduler.YieldTo(-1);
            harness.Scheduler.Wakeup(lk);
            sem.Signal();
            Assert.Equal(WakeResult.Woken, harness.Scheduler.WakeDescheduled(descheduled.Id));
            done = 1;
        };
        harness.Run(checker, sleeping, semaphore, desched);
        Assert.Equal(1, done);
        Assert.Equal(YieldResult.NotRunnable, results["sleeping"]);
        Assert.Equal(YieldResult.NotRunnable, results["semaphore"]);
        Assert.Equal(YieldResult.NotRunnable, results["descheduled"]);
        Assert.Equal(YieldResult.NoSuchThread, results["zero"]);
        Assert.Equal(YieldResult.NoSuchThread, results["idle"]);
        Assert.Equal(YieldResult.NoSuchThread, results["unknown"]);
        Assert.Equal(YieldResult.Yielded, results["self"]);
        Assert.Equal(YieldResult.Yielded, results["anyone"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DescheduleAndMakeRunnableRacingNeverLoseAWakeup(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        const int Rounds = 5_000; // each round is two host-thread hand-offs: bounded for a loaded 2-core CI machine
        int turn = 0, reject = 0, done = 0;
        KThread? waiterThread = null;
        int wakes = 0;
        Action waiter = () =>
        {
            waiterThread = KThread.Current;
            for (int i = 0; i < Rounds; i++)
            {
                Volatile.Write(ref reject, 0);
                Volatile.Write(ref turn, i + 1);
                // deschedule(&reject), as the system call does it: announce, read the flag, finish.
                harness.Scheduler.BeginDeschedule();
                harness.Scheduler.FinishDeschedule(Volatile.Read(ref reject) != 0, stop: false);
            }
            Volatile.Write(ref done, 1);
        };
        Action waker = () =>
        {
            // Each time the waiter starts a round: set the flag, make it runnable. A late
            // make_runnable may end the next round instead, so follow the waiter's rounds.
            int seen = 0;
            while (true)
            {
                harness.YieldUntil(() => Volatile.Read(ref turn) != seen || Volatile.Read(ref done) == 1,
                    $"the waiter out of round {seen} (a lost wake-up leaves it descheduled)");
                if (Volatile.Read(ref turn) == seen)
                    break;
                seen = Volatile.Read(ref turn);
                Volatile.Write(ref reject, 1);
                harness.Scheduler.WakeDescheduled(waiterThread!.Id);
                wakes++;
            }
        };
        harness.Run(waiter, waker);
        Assert.Equal(1, done);
        Assert.InRange(wakes, 1, Rounds);
    }

    [Fact]
    public void MakeRunnableRefusesAThreadNotDescheduledAndKillWakesADescheduledOne()
    {
        using var harness = new SchedulerHarness(1);
        KThread? target = null;
        bool returned = false;
        var results = new List<WakeResult>();
        Action desched = () =>
        {
            target = KThread.Current;
            harness.Scheduler.BeginDeschedule();
            harness.Scheduler.FinishDeschedule(reject: false, stop: false);
            returned = true;
        };
        Action other = () =>
        {
            results.Add(harness.Scheduler.WakeDescheduled(KThread.Current!.Id)); // running: not descheduled
            harness.YieldUntil(() => target?.State == ThreadState.Descheduled, "descheduled");
            harness.Scheduler.WakeThread(target!); // what kill does
            harness.YieldUntil(() => returned, "deschedule returned");
            results.Add(harness.Scheduler.WakeDescheduled(target!.Id));
        };
        harness.Run(desched, other);
        Assert.Equal(WakeResult.NotDescheduled, results[0]);
        Assert.Contains(results[1], new[] { WakeResult.NotDescheduled, WakeResult.NoSuchThread });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TimedSleepersWakeInOrderOfTheirTicksAndNeverEarly(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var clock = new Clock(harness.Scheduler);
        var woke = new EventLog<(int Wanted, long At)>();
        const int Sleepers = 40;
        Action sleeper(int wake) => () =>
        {
            harness.Scheduler.SleepUntil(wake, clock);
            woke.Add((wake, clock.Ticks));
        };
        Action ticker = () =>
        {
            harness.YieldUntil(() => harness.Scheduler.TimedSleepers == Sleepers, "every sleeper asleep");
            for (int t = 0; t < Sleepers + 2; t++)
            {
                clock.Tick();
                // Let the due sleepers run before the next tick, so the log shows wake order.
                harness.YieldUntil(() => woke.Events.Count >= Math.Min(clock.Ticks, Sleepers), "due sleepers woke");
            }
        };
        // The sleepers go to sleep in the reverse order of their wake-up ticks.
        var bodies = new List<Action> { ticker };
        for (int i = 0; i < Sleepers; i++)
            bodies.Add(sleeper(Sleepers - i));
        harness.Run([.. bodies]);
        Assert.Equal(Sleepers, woke.Events.Count);
        Assert.All(woke.Events, w => Assert.True(w.At >= w.Wanted, $"woke at {w.At}, wanted {w.Wanted}"));
        Assert.Equal(Enumerable.Range(1, Sleepers), woke.Events.Select(w => w.Wanted));
        Assert.Equal(0, harness.Scheduler.TimedSleepers);
    }
}
