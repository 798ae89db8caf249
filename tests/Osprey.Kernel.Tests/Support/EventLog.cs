using Osprey.Kernel.Sync;

namespace Osprey.Kernel.Tests.Support;

/// <summary>What kernel threads did, in the order they did it (a spinlock keeps the list whole).</summary>
public sealed class EventLog<T>
{
    private readonly List<T> _events = new();
    private readonly Spinlock _lock = new("log");

    /// <summary>On a kernel thread: records one event.</summary>
    public void Add(T what)
    {
        _lock.Acquire();
        _events.Add(what);
        _lock.Release();
    }

    /// <summary>The events so far (read once the threads are done).</summary>
    public IReadOnlyList<T> Events => _events;
}
