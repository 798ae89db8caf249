using Osprey.Machine.Time;

namespace Osprey.Kernel.Sched;

/// <summary>
/// The time CSR of a deterministic run: ticks of the instruction clock and the instructions
/// towards the next one, at the 10 MHz of the host-time source (100 ticks a second of virtual
/// time, so one tick is 100,000 units and ten instructions one unit). Never the host's clock.
/// </summary>
public sealed class VirtualTimeSource : ITimeSource
{
    public ulong Frequency => HostTimeSource.DefaultFrequency;

    /// <summary>Set once the clock exists: the ticks so far and the instructions retired towards the next.</summary>
    public Func<(long Ticks, long Instructions)> Read { get; set; } = () => (0, 0);

    public ulong Now
    {
        get
        {
            (long ticks, long instructions) = Read();
            return (ulong)(ticks * (long)(Frequency / HostTickSource.TicksPerSecond) + instructions / 10);
        }
    }
}
