namespace Osprey.Kernel.Sync;

/// <summary>
/// Contention figures for one lock: how often it was taken, how often a taker found it held
/// (a contended acquisition), how many test-and-sets failed while takers spun, and how long
/// takers waited and holders held it. Wait times are kept for contended acquisitions only, as
/// Linux's lock_stat keeps them; hold times for every acquisition. Times are in the registry's
/// clock units (<see cref="LockRegistry.Now"/>): host nanoseconds, or retired instructions in a
/// deterministic run.
///
/// Written by the holder only (a spinlock's holder, or a sleep lock's under its guard), so plain
/// fields suffice; readers on other CPUs may see slightly stale values, and a reset that races
/// with a holder may leave one of its updates behind.
/// </summary>
public sealed class LockStats
{
    public long Acquisitions;
    public long Contended;
    public long SpinIterations;
    public long WaitTotal, WaitMax;
    public long WaitMin = long.MaxValue;
    public long HoldTotal, HoldMax, Holds;
    public long HoldMin = long.MaxValue;

    /// <summary>A contended acquisition waited <paramref name="time"/>.</summary>
    public void RecordWait(long time)
    {
        WaitTotal += time;
        if (time > WaitMax)
            WaitMax = time;
        if (time < WaitMin)
            WaitMin = time;
    }

    /// <summary>A holder released the lock after <paramref name="time"/>.</summary>
    public void RecordHold(long time)
    {
        Holds++;
        HoldTotal += time;
        if (time > HoldMax)
            HoldMax = time;
        if (time < HoldMin)
            HoldMin = time;
    }

    /// <summary>Adds another lock's figures to these (a class's sum over its instances).</summary>
    public void Add(LockStats other)
    {
        Acquisitions += other.Acquisitions;
        Contended += other.Contended;
        SpinIterations += other.SpinIterations;
        WaitTotal += other.WaitTotal;
        WaitMax = Math.Max(WaitMax, other.WaitMax);
        WaitMin = Math.Min(WaitMin, other.WaitMin);
        Holds += other.Holds;
        HoldTotal += other.HoldTotal;
        HoldMax = Math.Max(HoldMax, other.HoldMax);
        HoldMin = Math.Min(HoldMin, other.HoldMin);
    }

    /// <summary>A copy, so that a report adds up figures that do not move under it.</summary>
    public LockStats Snapshot()
    {
        var copy = new LockStats();
        copy.Add(this);
        return copy;
    }

    /// <summary>Every counter back to zero (a write to the statistics device does this to every lock).</summary>
    public void Reset()
    {
        Acquisitions = Contended = SpinIterations = 0;
        WaitTotal = WaitMax = 0;
        WaitMin = long.MaxValue;
        Holds = HoldTotal = HoldMax = 0;
        HoldMin = long.MaxValue;
    }

    /// <summary>The shortest wait, 0 if no acquisition was contended.</summary>
    public long ShortestWait => Contended > 0 && WaitMin != long.MaxValue ? WaitMin : 0;

    /// <summary>The shortest hold, 0 if the lock was never released.</summary>
    public long ShortestHold => Holds > 0 && HoldMin != long.MaxValue ? HoldMin : 0;

    public override string ToString() =>
        $"{Acquisitions} acquisitions, {Contended} contended, {SpinIterations} spins";
}
