namespace Osprey.Kernel.Sync;

/// <summary>
/// Contention figures for one lock: how often it was taken, how often a taker found it held,
/// and how long takers spun or slept for it in total. Written by the holder only, so plain
/// fields suffice; readers may see slightly stale values.
/// </summary>
public sealed class LockStats
{
    public long Acquisitions;
    public long Contended;
    public long SpinIterations;

    public override string ToString() =>
        $"{Acquisitions} acquisitions, {Contended} contended, {SpinIterations} spins";
}
