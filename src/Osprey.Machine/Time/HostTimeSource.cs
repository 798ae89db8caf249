using System.Diagnostics;

namespace Osprey.Machine.Time;

/// <summary>Host wall time since construction, at 10 MHz (the timebase of QEMU's virt board).</summary>
public sealed class HostTimeSource : ITimeSource
{
    public const ulong DefaultFrequency = 10_000_000;

    private readonly long _start = Stopwatch.GetTimestamp();

    public ulong Frequency => DefaultFrequency;

    public ulong Now
    {
        get
        {
            long elapsed = Stopwatch.GetTimestamp() - _start;
            return (ulong)((Int128)elapsed * (long)DefaultFrequency / Stopwatch.Frequency);
        }
    }
}
