using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sync;

public class RwLockTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ReadersShareAndWritersAreAlone(int cpus)
    {
        using var harness = new SchedulerHarness(cpus);
        var rw = new RwLock(harness.Scheduler, "table");
        int readers = 0, writers = 0, mostReaders = 0, writes = 0;
        bool broken = false;
        const int Rounds = 1_000;
        Action reader = () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                rw.LockRead();
                int r = Interlocked.Increment(ref readers);
                if (Volatile.Read(ref writers) != 0)
                    broken = true;
                if (r > Volatile.Read(ref mostReaders))
                    Volatile.Write(ref mostReaders, r);
                harness.Scheduler.Yield(); // keep the read side held across a switch
                Interlocked.Decrement(ref readers);
                rw.UnlockRead();
            }
        };
        Action writer = () =>
        {
            for (int i = 0; i < Rounds / 4; i++)
            {
                rw.LockWrite();
                if (Interlocked.Increment(ref writers) != 1 || Volatile.Read(ref readers) != 0)
                    broken = true;
                if (i % 3 == 0)
                    harness.Scheduler.Yield();
                writes++;
                Interlocked.Decrement(ref writers);
                rw.UnlockWrite();
            }
        };
        harness.Run(reader, reader, reader, reader, writer, writer);
        Assert.False(broken, "a writer shared the lock");
        Assert.Equal(2 * (Rounds / 4), writes);
        Assert.True(mostReaders > 1, "readers never held the lock together");
        Assert.Null(rw.Holder);
        Assert.Equal(0, rw.Readers);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PreferenceDecidesWhetherANewReaderPassesAWaitingWriter(bool preferWriters)
    {
        using var harness = new SchedulerHarness(3);
        var rw = new RwLock(harness.Scheduler, "pref", preferWriters);
        var log = new EventLog<string>();
        int stage = 0, lateIn = 0;
        Action firstReader = () =>
        {
            rw.LockRead();
            Volatile.Write(ref stage, 1);
            // Hold the read side until the late reader has queued behind the writer, or got in.
            harness.YieldUntil(() => preferWriters ? rw.Stats.Contended == 2 : Volatile.Read(ref lateIn) == 1, "late reader arrived");
            log.Add("first reader out");
            rw.UnlockRead();
        };
        Action writer = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref stage) == 1, "first reader in");
            Volatile.Write(ref stage, 2);
            rw.LockWrite();
            log.Add("writer in");
            rw.UnlockWrite();
        };
        Action lateReader = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref stage) == 2 && rw.Stats.Contended == 1, "writer waiting");
            Volatile.Write(ref stage, 3);
            rw.LockRead();
            log.Add("late reader in");
            Volatile.Write(ref lateIn, 1);
            rw.UnlockRead();
        };
        harness.Run(firstReader, writer, lateReader);
        if (preferWriters)
            Assert.Equal(["first reader out", "writer in", "late reader in"], log.Events);
        else
            Assert.Equal("late reader in", log.Events[0]); // it joined the first reader at once
    }

    [Fact]
    public void DowngradeLetsReadersInButNoWriter()
    {
        using var harness = new SchedulerHarness(3);
        var rw = new RwLock(harness.Scheduler, "down");
        var log = new EventLog<string>();
        int stage = 0;
        Action downgrader = () =>
        {
            rw.LockWrite();
            Volatile.Write(ref stage, 1);
            harness.YieldUntil(() => rw.Stats.Contended == 1, "a writer waits");
            rw.Downgrade();
            log.Add("downgraded");
            Assert.Null(rw.Holder);
            Assert.Equal(1, rw.Readers);
            // A reader arriving now queues behind the waiting writer (writer preference)...
            Volatile.Write(ref stage, 2);
            harness.YieldUntil(() => rw.Stats.Contended == 2, "a reader waits behind the writer");
            // ...and the writer cannot get in while the downgraded reader holds it.
            for (int i = 0; i < 50; i++)
                harness.Scheduler.Yield();
            log.Add("reader out");
            rw.UnlockRead();
        };
        Action writer = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref stage) == 1, "write side held");
            rw.LockWrite();
            log.Add("writer in");
            rw.UnlockWrite();
        };
        Action reader = () =>
        {
            harness.YieldUntil(() => Volatile.Read(ref stage) == 2, "downgraded");
            rw.LockRead();
            log.Add("reader in");
            rw.UnlockRead();
        };
        harness.Run(downgrader, writer, reader);
        Assert.Equal(["downgraded", "reader out", "writer in", "reader in"], log.Events);
    }

    [Fact]
    public void DowngradeAdmitsWaitingReadersWhenNoWriterWaits()
    {
        using var harness = new SchedulerHarness(3);
        var rw = new RwLock(harness.Scheduler, "down2");
        int readerIn = 0;
        bool readerSawDowngraded = false;
        Action downgrader = () =>
        {
            rw.LockWrite();
            harness.YieldUntil(() => rw.Stats.Contended == 1, "a reader waits");
            rw.Downgrade();
            harness.YieldUntil(() => Volatile.Read(ref readerIn) == 1, "the reader got in beside us");
            rw.UnlockRead();
        };
        Action reader = () =>
        {
            harness.YieldUntil(() => rw.Holder != null, "write side held");
            rw.LockRead();
            readerSawDowngraded = rw.Holder == null && rw.Readers == 2;
            Volatile.Write(ref readerIn, 1);
            rw.UnlockRead();
        };
        harness.Run(downgrader, reader);
        Assert.True(readerSawDowngraded);
    }

    [Fact]
    public void MisuseIsAPanic()
    {
        using var harness = new SchedulerHarness(1);
        var rw = new RwLock(harness.Scheduler, "misuse");
        var e1 = Assert.Throws<AggregateException>(() => harness.Run(() => rw.UnlockRead()));
        Assert.Contains("no readers", e1.InnerException!.Message);
        var e2 = Assert.Throws<AggregateException>(() => harness.Run(() => rw.Downgrade()));
        Assert.Contains("not its writer", e2.InnerException!.Message);
    }
}
