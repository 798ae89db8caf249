using System.Diagnostics;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Ticks from host wall time: a host thread raises the timer interrupt on every CPU's hart
/// <see cref="TicksPerSecond"/> times a second, like a periodic timer chip.
/// </summary>
public sealed class HostTickSource : ITickSource
{
    public const int TicksPerSecond = 100;

    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public long UserBudget(Cpu cpu) => long.MaxValue;

    public bool Retired(Cpu cpu, long retired, out int clockTicks)
    {
        clockTicks = 0; // ticks arrive as timer interrupts instead
        return false;
    }

    public bool AdvancesWhileIdle => false;

    public TimeSpan IdleWait => TimeSpan.FromMilliseconds(100);

    public void Start(IReadOnlyList<Cpu> cpus)
    {
        // A thread of its own that sleeps in the host kernel until the next tick is due. (A
        // PeriodicTimer woke three host threads a tick, the .NET timer thread and a thread-pool
        // worker that then spun looking for more work, and they took host cores from the
        // harts.) The deadlines are absolute, so a late wake-up does not shift the later ones.
        _thread = new Thread(() =>
        {
            long period = Stopwatch.Frequency / TicksPerSecond;
            long due = Stopwatch.GetTimestamp() + period;
            WaitHandle stop = _stop.Token.WaitHandle;
            while (!stop.WaitOne(MillisecondsUntil(due)))
            {
                foreach (Cpu cpu in cpus)
                    cpu.Hart.RaiseInterrupt(InterruptLine.Timer);
                // Ticks missed while the host kept this thread from running are dropped, as a
                // timer chip's are: the next one is a whole period away.
                long now = Stopwatch.GetTimestamp();
                due = due + period > now ? due + period : now + period;
            }
        })
        {
            IsBackground = true,
            Name = "osprey-timer",
        };
        _thread.Start();
    }

    // Rounded up to whole milliseconds (what the wait takes): rounding down would leave a
    // sub-millisecond remainder that the loop spins through.
    private static int MillisecondsUntil(long due) =>
        (int)Math.Ceiling(Math.Max(0, due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency);

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }
}
