using System.Runtime.CompilerServices;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Sched;

public class KernelStackTests
{
    [Fact]
    public void ARunawayRecursionPanicsWithTheThreadsNameBeforeTheHostOverflows()
    {
        using var harness = new SchedulerHarness(1);
        var lk = new Spinlock("deep");
        long remainingAtStart = 0;
        var error = Assert.Throws<AggregateException>(() => harness.Run(() =>
        {
            remainingAtStart = KernelStack.Remaining;
            Recurse(lk, 0);
        }));
        var panic = Assert.IsType<KernelPanicException>(error.InnerException);
        Assert.Contains("kernel stack overflow", panic.Message);
        Assert.Contains("(test)", panic.Message); // the thread's name
        Assert.InRange(remainingAtStart, KernelStack.Size / 2, KernelStack.Size);
    }

    [Fact]
    public void AKernelThreadHasTheFixedStackAndItsDepthIsMeasured()
    {
        using var harness = new SchedulerHarness(1);
        long used = 0, remaining = 0;
        harness.Run(() =>
        {
            used = KernelStack.Used;
            remaining = KernelStack.Remaining;
        });
        Assert.InRange(used, 1, 64 << 10);
        Assert.InRange(remaining + used, KernelStack.Size - KernelStack.Reserve - (64 << 10), KernelStack.Size - KernelStack.Reserve);
    }

    // Each level eats 2 KiB of stack and passes a preemption point (a spinlock's release).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(Spinlock lk, int depth)
    {
        Span<byte> frame = stackalloc byte[2048];
        frame[depth % frame.Length] = (byte)depth;
        lk.Acquire();
        lk.Release();
        return Recurse(lk, depth + 1) + frame[(depth * 7) % frame.Length];
    }
}
