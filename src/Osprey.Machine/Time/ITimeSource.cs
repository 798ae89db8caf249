namespace Osprey.Machine.Time;

/// <summary>What the hart's time CSR (rdtime) reads: a counter running at <see cref="Frequency"/> Hz.</summary>
public interface ITimeSource
{
    ulong Frequency { get; }
    ulong Now { get; }
}
