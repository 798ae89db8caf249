using Osprey.Kernel.Proc;
using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Signal;

/// <summary>
/// Every alarm set, by the tick it goes off at (a binary heap, O(log n) to set and to fire).
/// A task's alarm is its <see cref="SignalState.AlarmTick"/>; entries it no longer matches (the
/// alarm was changed or cancelled) are dropped when they come due. <see cref="_lock"/> protects
/// the heap and is taken alone.
/// </summary>
internal sealed class AlarmQueue
{
    private readonly PriorityQueue<Due, long> _heap = new();
    private readonly Spinlock _lock = new("alarm");

    public readonly record struct Due(Process Task, long Tick);

    public void Add(Process p, long tick)
    {
        _lock.Acquire();
        _heap.Enqueue(new Due(p, tick), tick);
        _lock.Release();
    }

    /// <summary>The next alarm due at <paramref name="now"/>, or null.</summary>
    public Due? TakeDue(long now)
    {
        _lock.Acquire();
        Due? due = _heap.TryPeek(out Due next, out long tick) && tick <= now ? _heap.Dequeue() : null;
        _lock.Release();
        return due;
    }
}
