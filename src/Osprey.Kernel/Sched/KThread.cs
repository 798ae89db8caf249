
namespace Osprey.Kernel.Sched;

/// <summary>
/// A kernel thread, backed by one host thread. It runs only while it holds a CPU; the
/// scheduler hands a CPU to it by releasing <see cref="_baton"/>, and it parks on the same
/// semaphore when it hands its CPU on. The semaphore remembers a release that comes before
/// the wait, so a hand-over can never be lost.
///
/// <see cref="State"/>, <see cref="Channel"/>, <see cref="Cpu"/> and the scheduler's
/// bookkeeping below (queue links, timed-sleep place, deschedule flags) are protected by the
/// scheduler lock.
///
/// Ids are tids: user threads, the processes they make up (a process's pid is its first
/// thread's tid) and kernel threads share one number space from 1, never reused; idle threads
/// have negative ids outside it.
/// </summary>
public sealed class KThread
{
    [ThreadStatic] private static KThread? _current;

    private readonly SemaphoreSlim _baton = new(0, 1);
    private readonly Action _body;
    private volatile bool _abandoned;

    internal KThread(int id, string name, Action body)
    {
        Id = id;
        Name = name;
        _body = body;
    }

    /// <summary>The kernel thread the calling host thread backs, or null for a host thread of the harness.</summary>
    public static KThread? Current => _current;

    public int Id { get; }

    public string Name { get; internal set; }

    public ThreadState State { get; internal set; } = ThreadState.Embryo;

    /// <summary>What the thread sleeps on (xv6's chan), while Sleeping.</summary>
    public object? Channel { get; internal set; }

    /// <summary>
    /// A wakeup meant for this thread alone (<see cref="Scheduler.WakeThread"/>: kill) that came
    /// while it was not asleep: its next <see cref="Scheduler.Sleep"/> returns at once instead.
    /// Under the scheduler lock.
    /// </summary>
    internal bool WakePending { get; set; }

    /// <summary>The CPU this thread holds, while Running.</summary>
    public Cpu? Cpu { get; internal set; }

    /// <summary>What the thread belongs to (a user thread of a process), for the layers above the scheduler.</summary>
    public object? Owner { get; set; }

    /// <summary>The scheduling choices misbehave asked for (inherited by the threads it creates).</summary>
    public SchedulingMode Mode { get; set; }

    /// <summary>The lock or semaphore the thread waits for, while Blocked (yield follows it to the holder).</summary>
    public object? BlockedOn { get; internal set; }

    // The scheduler's bookkeeping, under its lock.
    internal ThreadQueue? Queue;
    internal KThread? Prev, Next;
    internal long WakeTick;
    internal long SleepSequence;
    internal int HeapIndex = -1;

    /// <summary>In deschedule between announcing itself and blocking (see Scheduler.BeginDeschedule).</summary>
    internal bool DeschedulePending;

    /// <summary>A make_runnable (or kill) arrived while <see cref="DeschedulePending"/>.</summary>
    internal bool WakeRequested;

    /// <summary>
    /// How deeply the thread is nested in file-system log operations (Fs/Log.cs). Kept on the
    /// kernel thread, not the host thread, because host threads are reused.
    /// </summary>
    internal int LogDepth { get; set; }

    /// <summary>The sleep locks this thread holds, oldest first (kept for lockdep only).</summary>
    internal Sync.HeldLocks HeldSleepLocks => _heldSleepLocks ??= new Sync.HeldLocks();

    private Sync.HeldLocks? _heldSleepLocks;

    /// <summary>Whether the machine was torn down while this thread was parked (see <see cref="Abandon"/>).</summary>
    internal bool Abandoned => _abandoned;

    /// <summary>Starts the body on a host thread, which first waits to be handed a CPU.</summary>
    internal void Start(ThreadStart? onExit = null)
    {
        HostThreadPool.Run(() =>
        {
            _current = this;
            try
            {
                Park();
                _body();
            }
            catch (Exception) when (_abandoned)
            {
                // The machine is gone; the host thread goes back to the pool.
            }
            finally
            {
                onExit?.Invoke();
                _current = null;
            }
        });
    }

    internal void Unpark()
    {
        try
        {
            _baton.Release();
        }
        catch (SemaphoreFullException) when (_abandoned)
        {
            // Abandon woke it already; on a live machine a second release is a bug and throws.
        }
    }

    /// <summary>
    /// Waits to be handed a CPU. On a machine that has been torn down, throws
    /// <see cref="ThreadAbandonedException"/> instead, so the host thread unwinds and returns
    /// to the pool rather than waiting for ever.
    /// </summary>
    internal void Park()
    {
        if (!_abandoned)
            _baton.Wait();
        if (_abandoned)
            throw new ThreadAbandonedException();
    }

    /// <summary>
    /// After a halt, when the kernel is disposed: wakes the thread if it is parked, so that it
    /// unwinds. A thread still running notices at its next Park.
    /// </summary>
    internal void Abandon()
    {
        _abandoned = true;
        if (_baton.CurrentCount == 0)
        {
            try
            {
                _baton.Release();
            }
            catch (SemaphoreFullException)
            {
                // A hand-over released it first: it wakes either way.
            }
        }
    }

    public override string ToString() => $"thread {Id} ({Name}, {State})";
}
