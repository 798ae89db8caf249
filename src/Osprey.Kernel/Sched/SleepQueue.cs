namespace Osprey.Kernel.Sched;

/// <summary>
/// Threads sleeping until a tick, as a binary min-heap ordered by wake-up tick (ties in the
/// order they went to sleep). Adding and removing a sleeper are O(log n); the tick handler
/// looks only at the root, so it finds each due sleeper in O(1) and never looks at one that
/// is not due. Each thread remembers its place (<see cref="KThread.HeapIndex"/>) so that kill
/// can take it out of the middle. The scheduler lock protects it.
/// </summary>
internal sealed class SleepQueue
{
    private KThread[] _heap = new KThread[16];
    private long _sequence;

    public int Count { get; private set; }

    public void Add(KThread t, long wakeTick)
    {
        if (t.HeapIndex >= 0)
            throw Panic.Now($"{t} sleeps on the timed queue already");
        if (Count == _heap.Length)
            Array.Resize(ref _heap, Count * 2);
        t.WakeTick = wakeTick;
        t.SleepSequence = _sequence++;
        Place(t, Count);
        Count++;
        Up(t.HeapIndex);
    }

    /// <summary>Takes the root if it is due at <paramref name="now"/>.</summary>
    public KThread? TakeDue(long now)
    {
        if (Count == 0 || _heap[0].WakeTick > now)
            return null;
        KThread t = _heap[0];
        Remove(t);
        return t;
    }

    public void Remove(KThread t)
    {
        int i = t.HeapIndex;
        if (i < 0 || i >= Count || _heap[i] != t)
            throw Panic.Now($"{t} is not on the timed sleep queue");
        Count--;
        KThread last = _heap[Count];
        _heap[Count] = null!;
        t.HeapIndex = -1;
        if (i == Count)
            return;
        Place(last, i);
        Up(i);
        Down(last.HeapIndex);
    }

    private static bool Before(KThread a, KThread b) =>
        a.WakeTick < b.WakeTick || (a.WakeTick == b.WakeTick && a.SleepSequence < b.SleepSequence);

    private void Place(KThread t, int i)
    {
        _heap[i] = t;
        t.HeapIndex = i;
    }

    private void Up(int i)
    {
        KThread t = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Before(t, _heap[parent]))
                break;
            Place(_heap[parent], i);
            i = parent;
        }
        Place(t, i);
    }

    private void Down(int i)
    {
        KThread t = _heap[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= Count)
                break;
            if (child + 1 < Count && Before(_heap[child + 1], _heap[child]))
                child++;
            if (!Before(_heap[child], t))
                break;
            Place(_heap[child], i);
            i = child;
        }
        Place(t, i);
    }
}
