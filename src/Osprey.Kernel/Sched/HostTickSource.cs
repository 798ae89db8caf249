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
        _thread = new Thread(() =>
        {
            var period = TimeSpan.FromSeconds(1.0 / TicksPerSecond);
            using var timer = new PeriodicTimer(period);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (!timer.WaitForNextTickAsync(_stop.Token).AsTask().GetAwaiter().GetResult())
                        break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                foreach (Cpu cpu in cpus)
                    cpu.Hart.RaiseInterrupt(InterruptLine.Timer);
            }
        })
        {
            IsBackground = true,
            Name = "osprey-timer",
        };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }
}
