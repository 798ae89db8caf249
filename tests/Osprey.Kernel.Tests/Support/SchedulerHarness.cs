using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Support;

/// <summary>
/// A scheduler over a few CPUs with no processes, for testing kernel code that must run on
/// kernel threads (locks, sleep/wakeup, the buffer cache). <see cref="Run"/> runs bodies on
/// kernel threads and waits, with a generous deadline, for all of them to finish.
/// </summary>
public sealed class SchedulerHarness : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly PhysicalMemory _memory = new(1 << 20);
    private readonly Hart[] _harts;

    /// <param name="lockdep">Check the lock order (a registry with lockdep on, seeded with the documented order).</param>
    public SchedulerHarness(int cpus, bool lockdep = false)
    {
        _harts = Enumerable.Range(0, cpus).Select(i => new Hart(_memory, i)).ToArray();
        Scheduler = new Scheduler(_harts, new LockRegistry(_harts, lockdep: lockdep));
        Scheduler.Start(_ => { });
    }

    public Scheduler Scheduler { get; }

    /// <summary>The machine's RAM: 1 MiB, 256 frames.</summary>
    public PhysicalMemory Memory => _memory;

    public LockRegistry Locks => Scheduler.Locks;

    /// <summary>Runs each body on its own kernel thread; rethrows the first failure.</summary>
    public void Run(params Action[] bodies)
    {
        // Not disposed: after a timeout, threads still running may signal it later.
        var done = new CountdownEvent(bodies.Length);
        Exception? failure = null;
        foreach (Action body in bodies)
        {
            KThread thread = Scheduler.CreateThread("test", () =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                finally
                {
                    done.Signal();
                }
            });
            Scheduler.Submit(thread);
        }
        if (!done.Wait(Deadline))
            throw new TimeoutException($"kernel threads did not finish within {Deadline.TotalSeconds} s");
        if (failure != null)
            throw new AggregateException(failure);
    }

    /// <summary>
    /// On a kernel thread: yields until <paramref name="condition"/> holds, failing after the
    /// deadline (so a test waits on a condition, never for a fixed time).
    /// </summary>
    public void YieldUntil(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
                throw new TimeoutException($"{what}: not within {Deadline.TotalSeconds} s");
            Scheduler.Yield();
        }
    }

    public void Dispose()
    {
        Scheduler.Halt();
        foreach (Hart h in _harts)
            h.Dispose();
        _memory.Dispose();
    }
}
