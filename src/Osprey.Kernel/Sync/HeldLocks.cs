namespace Osprey.Kernel.Sync;

/// <summary>
/// The locks one holder has, oldest first, for lockdep: a CPU's spinlocks (a spinlock belongs to
/// its CPU, and the scheduler lock travels with the CPU across a hand-over) or a thread's sleep
/// locks (held across sleeps, on whichever CPU the thread runs). Touched only by the holder: the
/// thread that has the CPU, or the thread itself.
/// </summary>
internal sealed class HeldLocks
{
    private HeldLock[] _items = new HeldLock[8];

    public int Count { get; private set; }

    public ReadOnlySpan<HeldLock> Items => _items.AsSpan(0, Count);

    public void Push(LockEntry entry, int node, bool inInterrupt)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, Count * 2);
        _items[Count++] = new HeldLock(entry, node, inInterrupt);
    }

    /// <summary>Forgets the newest hold of <paramref name="entry"/>; locks may be released in any order.</summary>
    public void Remove(LockEntry entry)
    {
        for (int i = Count - 1; i >= 0; i--)
        {
            if (_items[i].Entry == entry)
            {
                Array.Copy(_items, i + 1, _items, i, Count - i - 1);
                _items[--Count] = default;
                return;
            }
        }
    }

    public override string ToString() => string.Join(", ", _items.Take(Count).Select(h => h.Entry.Name));
}

/// <summary>One held lock: its entry, the graph node it was taken as, and whether an interrupt handler took it.</summary>
internal readonly record struct HeldLock(LockEntry Entry, int Node, bool InInterrupt);
