using Osprey.Kernel.Sched;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Bench.Sched;

/// <summary>
/// The kernel's scheduler over a few simulated CPUs with no processes: bodies run on kernel
/// threads (each on a host thread of its own), as the kernel's own code runs.
/// </summary>
internal sealed class KernelThreads : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private readonly PhysicalMemory _memory = new(1 << 20);
    private readonly Hart[] _harts;

    public KernelThreads(int cpus)
    {
        _harts = Enumerable.Range(0, cpus).Select(i => new Hart(_memory, i)).ToArray();
        Scheduler = new Scheduler(_harts);
        Scheduler.Start(_ => { });
    }

    public Scheduler Scheduler { get; }

    /// <summary>Runs each body on its own kernel thread and waits for all of them.</summary>
    public void Run(IEnumerable<Action> bodies)
    {
        Action[] all = bodies.ToArray();
        var done = new CountdownEvent(all.Length);
        Exception? failure = null;
        foreach (Action body in all)
        {
            Scheduler.Submit(Scheduler.CreateThread("bench", () =>
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
            }));
        }
        if (!done.Wait(Deadline))
            throw new TimeoutException($"kernel threads did not finish within {Deadline.TotalMinutes} minutes");
        if (failure != null)
            throw new InvalidOperationException("a benchmark thread failed", failure);
    }

    /// <summary>On a kernel thread: yields until <paramref name="condition"/> holds.</summary>
    public void YieldUntil(Func<bool> condition)
    {
        while (!condition())
            Scheduler.Yield();
    }

    public void Dispose()
    {
        Scheduler.Halt();
        Scheduler.AbandonAll();
        foreach (Hart h in _harts)
            h.Dispose();
        _memory.Dispose();
    }
}
