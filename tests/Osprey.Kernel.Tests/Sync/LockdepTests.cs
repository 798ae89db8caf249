using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sync;

/// <summary>Lock-order checking: planted inversions must panic, the first time, with the whole story.</summary>
public class LockdepTests
{
    /// <summary>Runs the body on a kernel thread with lockdep on; the panic it raised, or null.</summary>
    private static KernelPanicException? PanicOf(Action<SchedulerHarness> body, bool lockdep = true)
    {
        using var harness = new SchedulerHarness(1, lockdep);
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

    private static void Take(params Spinlock[] locks)
    {
        foreach (Spinlock l in locks)
            l.Acquire();
        foreach (Spinlock l in locks.Reverse())
            l.Release();
    }

    [Fact]
    public void APlantedInversionPanicsNamingBothClassesTheCpuTheThreadAndTheHeldLocks()
    {
        var alpha = new Spinlock("alpha");
        var beta = new Spinlock("beta");
        KernelPanicException? panic = PanicOf(_ =>
        {
            Take(alpha, beta); // alpha → beta, fine
            beta.Acquire();
            alpha.Acquire(); // beta → alpha closes the cycle: never reached on a live kernel
        });
        Assert.NotNull(panic);
        Assert.Contains("lockdep: lock order inversion: alpha taken while holding beta", panic.Message);
        Assert.Contains("the cycle is beta → alpha → beta", panic.Message);
        Assert.Contains("held: beta#0", panic.Message);
        Assert.Matches(@"\[cpu 0, thread \d+ \(test\)\]", panic.Message);
    }

    [Fact]
    public void ALongerCycleIsFoundThroughTheClassesBetween()
    {
        var a = new Spinlock("first");
        var b = new Spinlock("second");
        var c = new Spinlock("third");
        KernelPanicException? panic = PanicOf(_ =>
        {
            Take(a, b);
            Take(b, c);
            Take(c, a);
        });
        Assert.NotNull(panic);
        Assert.Contains("the cycle is third → first → second → third", panic.Message);
    }

    [Fact]
    public void WithoutLockdepNothingIsChecked()
    {
        var alpha = new Spinlock("alpha");
        var beta = new Spinlock("beta");
        Assert.Null(PanicOf(_ =>
        {
            Take(alpha, beta);
            Take(beta, alpha);
        }, lockdep: false));
    }

    [Fact]
    public void TwoLocksOfOneClassNeedANestingAnnotation()
    {
        // A panic leaves its locks taken, so every run has locks of its own.
        KernelPanicException? unannotated = PanicOf(_ => Take(new Spinlock("node"), new Spinlock("node")));
        Assert.NotNull(unannotated);
        Assert.Contains("of the same class node, without a nesting annotation", unannotated.Message);

        Assert.Null(PanicOf(_ =>
        {
            var parent = new Spinlock("node");
            var child = new Spinlock("node");
            parent.Acquire();
            child.AcquireNested(1);
            child.Release();
            parent.Release();
        }));

        KernelPanicException? backwards = PanicOf(_ =>
        {
            var parent = new Spinlock("node");
            var child = new Spinlock("node");
            parent.Acquire();
            child.AcquireNested(1);
            child.Release();
            parent.Release();
            child.AcquireNested(1);
            parent.Acquire(); // level 0 inside level 1: the other way round
        });
        Assert.NotNull(backwards);
        Assert.Contains("node taken while holding node", backwards.Message);
        Assert.Contains("node/1 → node → node/1", backwards.Message);
    }

    [Fact]
    public void TheDocumentedOrderIsKnownBeforeAnythingHappens()
    {
        // The buffer-then-kmem order is seeded, so the opposite panics at its first occurrence.
        KernelPanicException? panic = PanicOf(h =>
        {
            var inode = new SleepLock(h.Scheduler, "inode");
            var buffer = new SleepLock(h.Scheduler, "buffer");
            buffer.Acquire();
            inode.Acquire();
        });
        Assert.NotNull(panic);
        Assert.Contains("inode taken while holding buffer", panic.Message);
        Assert.Contains("(sleep lock)", panic.Message);
    }

    [Fact]
    public void ASleepLockTakenUnderASpinlockPanics()
    {
        KernelPanicException? panic = PanicOf(h =>
        {
            var spin = new Spinlock("kmem");
            var sleep = new SleepLock(h.Scheduler, "buffer");
            spin.Acquire();
            sleep.Acquire();
        });
        Assert.NotNull(panic);
        Assert.Contains("sleep lock buffer taken while holding spinlock kmem", panic.Message);
    }

    [Fact]
    public void AnInterruptHandlersLocksAreNotOrderedAfterTheThreadsSleepLocks()
    {
        bool afterInterrupt = true, afterCall = false;
        Assert.Null(PanicOf(h =>
        {
            var cons = new Spinlock("cons");
            var inode = new SleepLock(h.Scheduler, "inode");
            Lockdep graph = h.Locks.Dependencies!;
            // An interrupt taken while the thread holds an inode takes the console lock: no order.
            inode.Acquire();
            Cpu cpu = Cpu.Mine!;
            cpu.InInterrupt = true;
            Take(cons);
            cpu.InInterrupt = false;
            afterInterrupt = graph.Orders(inode.Entry!.Class, cons.Entry!.Class);
            // The thread itself taking it is an order.
            Take(cons);
            afterCall = graph.Orders(inode.Entry!.Class, cons.Entry!.Class);
            inode.Release();
        }));
        Assert.False(afterInterrupt);
        Assert.True(afterCall);
    }
}
