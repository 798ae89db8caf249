namespace Osprey.Kernel.Sched;

/// <summary>
/// A FIFO of kernel threads linked through the threads themselves (<see cref="KThread.Prev"/>
/// and <see cref="KThread.Next"/>), so that adding, taking the head and removing a thread from
/// the middle are all O(1) and allocate nothing. A thread is on at most one such queue at a
/// time: the run queue or one channel's sleepers. The scheduler lock protects every queue.
/// </summary>
internal sealed class ThreadQueue
{
    private KThread? _head, _tail;

    public int Count { get; private set; }

    public KThread? Head => _head;

    public void PushBack(KThread t)
    {
        Link(t);
        t.Prev = _tail;
        if (_tail == null)
            _head = t;
        else
            _tail.Next = t;
        _tail = t;
    }

    public void PushFront(KThread t)
    {
        Link(t);
        t.Next = _head;
        if (_head == null)
            _tail = t;
        else
            _head.Prev = t;
        _head = t;
    }

    /// <summary>The thread <paramref name="index"/> places from the head (O(index); deterministic runs pick runnable threads this way).</summary>
    public KThread At(int index)
    {
        KThread t = _head ?? throw Panic.Now("the queue is empty");
        for (int i = 0; i < index; i++)
            t = t.Next ?? throw Panic.Now($"the queue has no thread {index}");
        return t;
    }

    public KThread? PopFront()
    {
        KThread? t = _head;
        if (t != null)
            Remove(t);
        return t;
    }

    public void Remove(KThread t)
    {
        if (t.Queue != this)
            throw Panic.Now($"{t} is not on this queue");
        if (t.Prev == null)
            _head = t.Next;
        else
            t.Prev.Next = t.Next;
        if (t.Next == null)
            _tail = t.Prev;
        else
            t.Next.Prev = t.Prev;
        t.Prev = t.Next = null;
        t.Queue = null;
        Count--;
    }

    private void Link(KThread t)
    {
        if (t.Queue != null)
            throw Panic.Now($"{t} is on a queue already");
        t.Queue = this;
        Count++;
    }
}
