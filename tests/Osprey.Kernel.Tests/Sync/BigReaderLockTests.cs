using System.Diagnostics;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sync;

public class BigReaderLockTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void ReadersOnTwoCpusHoldItAtOnceEachWithItsOwnCpusLock()
    {
        using var harness = new SchedulerHarness(2);
        var br = new BigReaderLock("table", 2);
        int inside = 0;
        var cpus = new int[2];
        Action reader = () =>
        {
            br.LockRead();
            cpus[Interlocked.Increment(ref inside) - 1] = Cpu.Mine!.Id;
            // Both readers are in at once, or this one gives up (a read side that shut out
            // the other reader would leave it spinning outside).
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref inside) < 2 && clock.Elapsed < Deadline)
                Thread.SpinWait(100);
            bool both = Volatile.Read(ref inside) == 2;
            br.UnlockRead();
            Assert.True(both, "the second reader never got in while the first held the read side");
        };
        harness.Run(reader, reader);
        Assert.NotEqual(cpus[0], cpus[1]);
        Assert.Equal(2, br.Acquisitions);
        Assert.Equal(1, harness.Locks.Entries().Single(e => e.Name == "table.cpu0").Stats.Acquisitions);
        Assert.Equal(1, harness.Locks.Entries().Single(e => e.Name == "table.cpu1").Stats.Acquisitions);
    }

    [Fact]
    public void AWriterShutsOutTheReadersOfEveryCpu()
    {
        using var harness = new SchedulerHarness(3, lockdep: true);
        var br = new BigReaderLock("table", 3);
        int writing = 0, waiting = 0, entered = 0, sawWriter = 0;
        var readerCpus = new int[2];
        Action writer = () =>
        {
            br.LockWrite();
            Volatile.Write(ref writing, 1);
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref waiting) < 2 && clock.Elapsed < Deadline)
                Thread.SpinWait(100);
            // Both readers are at the lock: give either of them a while to get in, which a
            // writer that held only some CPUs' locks would let it do.
            clock.Restart();
            while (Volatile.Read(ref entered) == 0 && clock.ElapsedMilliseconds < 50)
                Thread.SpinWait(100);
            Volatile.Write(ref writing, 0);
            br.UnlockWrite();
        };
        Action reader = () =>
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref writing) == 0 && clock.Elapsed < Deadline)
                Thread.SpinWait(100);
            readerCpus[Interlocked.Increment(ref waiting) - 1] = Cpu.Mine!.Id;
            br.LockRead();
            Interlocked.Increment(ref entered);
            if (Volatile.Read(ref writing) != 0)
                Interlocked.Increment(ref sawWriter);
            br.UnlockRead();
        };
        harness.Run(writer, reader, reader);
        Assert.Equal(0, sawWriter);
        Assert.Equal(2, entered);
        Assert.Equal(3 + 2, br.Acquisitions);
        Assert.Equal(2, readerCpus.Distinct().Count());
    }
}
