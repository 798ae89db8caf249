using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;
using Mutex = Osprey.Kernel.Sync.Mutex;
using Semaphore = Osprey.Kernel.Sync.Semaphore;

namespace Osprey.Kernel.Tests.Sync;

/// <summary>
/// The mutex, rwlock, semaphore and condition variable in the lock registry (figures in the
/// three reports) and under lockdep (inversions between them, one taken under a spinlock).
/// </summary>
public class SleepingLockRegistryTests
{
    private static KernelPanicException? PanicOf(Action<SchedulerHarness> body)
    {
        using var harness = new SchedulerHarness(1, lockdep: true);
        try
        {
            harness.Run(() => body(harness));
            return null;
        }
        catch (AggregateException e) when (e.InnerException is KernelPanicException panic)
        {
            return panic;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ContendedMutexesShowTheirWaitsAndHoldsInEveryReport(int cpus)
    {
        using var harness = new SchedulerHarness(cpus, lockdep: true);
        var first = new Mutex(harness.Scheduler, "tmutex.0", "tmutex");
        var second = new Mutex(harness.Scheduler, "tmutex.1", "tmutex");
        const int Rounds = 300;
        Action body = () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                Mutex m = i % 2 == 0 ? first : second;
                m.Lock();
                harness.Scheduler.Yield(); // the other threads find it held and block
                m.Unlock();
            }
        };
        harness.Run(body, body, body);

        Assert.Equal(3 * Rounds, first.Stats.Acquisitions + second.Stats.Acquisitions);
        Assert.True(first.Stats.Contended > 0, "no acquisition blocked");
        Assert.Equal(first.Stats.Acquisitions, first.Stats.Holds);
        Assert.True(first.Stats.WaitMax > 0 && first.Stats.HoldMax > 0, "waits and holds are timed");
        Assert.Same(first.Entry!.Class, second.Entry!.Class);
        Assert.Equal(LockKind.Sleep, first.Entry.Kind);

        string perf = LockReports.Perf(harness.Locks);
        Assert.Contains($"[perf] lock=tmutex.0, #acquires={first.Stats.Acquisitions}, contention=", perf);
        string lockstat = LockReports.LockStat(harness.Locks, instances: true);
        Assert.Matches(@"(?m)^\s*tmutex:\s+\d+", lockstat);
        Assert.Contains("  tmutex.1:", lockstat);
    }

    [Fact]
    public void RwLockSemaphoreAndCondVarRegisterAndCount()
    {
        using var harness = new SchedulerHarness(1, lockdep: true);
        var rw = new RwLock(harness.Scheduler, "trw");
        var sem = new Semaphore(harness.Scheduler, "tsem", 0);
        var mutex = new Mutex(harness.Scheduler, "tcvmutex");
        var cv = new CondVar(harness.Scheduler, "tcv");
        bool ready = false;
        harness.Run(
            () =>
            {
                rw.LockRead();
                harness.YieldUntil(() => Volatile.Read(ref rw.Stats.Contended) == 1, "the writer waits");
                rw.UnlockRead();
                sem.Wait(); // blocks until the other thread signals
                mutex.Lock();
                while (!ready)
                    cv.Wait(mutex);
                mutex.Unlock();
            },
            () =>
            {
                harness.YieldUntil(() => rw.Readers == 1, "the read held");
                rw.LockWrite(); // waits for the reader
                rw.UnlockWrite();
                harness.YieldUntil(() => Volatile.Read(ref sem.Stats.Contended) == 1, "a waiter on the semaphore");
                sem.Signal();
                harness.YieldUntil(() => Volatile.Read(ref cv.Stats.Acquisitions) == 1, "a waiter on the condition");
                mutex.Lock();
                ready = true;
                cv.Signal();
                mutex.Unlock();
            });

        Assert.Equal(2, rw.Stats.Acquisitions);
        Assert.Equal(1, rw.Stats.Contended);
        Assert.Equal(2, rw.Stats.Holds); // the read side once, the writer once
        Assert.Equal(1, sem.Stats.Acquisitions);
        Assert.Equal(1, sem.Stats.Contended);
        Assert.True(sem.Stats.WaitMax > 0);
        Assert.Equal(1, cv.Stats.Acquisitions);
        Assert.Equal(1, cv.Stats.Contended);
        string[] names = harness.Locks.Entries().Select(e => e.Name).ToArray();
        Assert.Contains("trw", names);
        Assert.Contains("tsem", names);
        Assert.Contains("tcv", names);
        Assert.Contains("tcvmutex", names);
        Assert.DoesNotContain(harness.Locks.Entries(), e => e.Name == "trw" && e.Kind == LockKind.Spin); // the guard is not a lock of its own
    }

    [Fact]
    public void AnInversionBetweenTwoMutexesPanicsTheFirstTime()
    {
        KernelPanicException? panic = PanicOf(h =>
        {
            var a = new Mutex(h.Scheduler, "mutex-a");
            var b = new Mutex(h.Scheduler, "mutex-b");
            a.Lock();
            b.Lock();
            b.Unlock();
            a.Unlock();
            b.Lock();
            a.Lock(); // b → a after a → b: one thread alone never deadlocks, two could
        });
        Assert.NotNull(panic);
        Assert.Contains("lock order inversion: mutex-a taken while holding mutex-b", panic.Message);
        Assert.Contains("mutex-b#0 (sleep lock)", panic.Message);
    }

    [Fact]
    public void AnInversionBetweenAWriterAndAMutexPanics()
    {
        KernelPanicException? panic = PanicOf(h =>
        {
            var rw = new RwLock(h.Scheduler, "rw-x");
            var m = new Mutex(h.Scheduler, "mutex-y");
            rw.LockRead();
            m.Lock();
            m.Unlock();
            rw.UnlockRead();
            m.Lock();
            rw.LockWrite();
        });
        Assert.NotNull(panic);
        Assert.Contains("rw-x taken while holding mutex-y", panic.Message);
    }

    [Fact]
    public void AMutexTakenUnderASpinlockPanics()
    {
        KernelPanicException? panic = PanicOf(h =>
        {
            var spin = new Spinlock("spin-z");
            var m = new Mutex(h.Scheduler, "mutex-z");
            spin.Acquire();
            m.Lock();
        });
        Assert.NotNull(panic);
        Assert.Contains("sleep lock mutex-z taken while holding spinlock spin-z", panic.Message);
    }

    [Fact]
    public void RangeLocksOfOneHoldAreOrderedOnceHoweverManyThereAre()
    {
        Assert.Null(PanicOf(_ =>
        {
            var ranges = new Osprey.Kernel.Vm.RangeLocks();
            var inner = new Spinlock("tlb");
            // 20 regions: more than lockdep's nesting levels, all one class.
            using (ranges.Hold(0, 20UL << Osprey.Kernel.Vm.RangeLocks.RegionShift))
            {
                inner.Acquire();
                inner.Release();
            }
        }));
        KernelPanicException? panic = PanicOf(_ =>
        {
            var ranges = new Osprey.Kernel.Vm.RangeLocks();
            var tlb = new Spinlock("tlb");
            tlb.Acquire();
            using (ranges.Hold(0, 4096)) // tlb → ptrange breaks the seeded ptrange → tlb
            {
            }
        });
        Assert.NotNull(panic);
        Assert.Contains("ptrange taken while holding tlb", panic.Message);
    }
}
