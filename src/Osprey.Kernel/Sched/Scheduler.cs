using System.Collections.Concurrent;
using Osprey.Kernel.Sync;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Round-robin scheduling of kernel threads over the simulated CPUs, and every scheduling
/// decision the kernel makes: which thread runs next, where a woken thread queues, when a
/// slice ends, what the misbehave modes (<see cref="SchedulingMode"/>) change.
///
/// A context switch is a hand-over: the running thread picks the next one, gives it its CPU
/// by unparking its host thread, and parks its own. When nothing else can run, the CPU goes
/// to its idle thread, which waits for an interrupt without burning host CPU.
///
/// Everything here is O(1) in the number of threads, except timed sleep (O(log n)): the run
/// queue and each channel's sleepers are linked through the threads (<see cref="ThreadQueue"/>),
/// so a thread comes off any of them at once; a table finds a thread by tid; sleepers on time
/// wait in a heap by wake-up tick (<see cref="SleepQueue"/>).
///
/// <see cref="Lock"/> protects the run queue, the channel and timed sleep queues, every
/// thread's State, Channel, Cpu and queue links, and every CPU's Current. It is held across a
/// hand-over and released by the thread that receives the CPU, as xv6 holds p->lock across
/// swtch. Lock order: any other lock may be held when taking it (sleep takes it while holding
/// the condition's lock); never take another lock while holding it.
/// </summary>
public sealed class Scheduler
{
    /// <summary>How many user instructions a slice lasts under <see cref="SchedulingMode.ShortSlices"/>.</summary>
    public const long ShortSlice = 1000;

    /// <summary>How many holders yield follows from a thread blocked on a lock (a deadlock cycle ends the walk).</summary>
    private const int MaxHolderChain = 16;

    private readonly ThreadQueue _runQueue = new();

    // Threads handed in by host threads that hold no CPU (boot, tests) and so cannot take
    // Lock; moved to the run queue by the next CPU that schedules.
    private readonly ConcurrentQueue<KThread> _admissions = new();

    // Sleepers by channel; a channel's queue is kept only while someone sleeps on it.
    private readonly Dictionary<object, ThreadQueue> _channels = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<ThreadQueue> _spareQueues = new();
    private readonly SleepQueue _timed = new();

    /// <summary>
    /// Every kernel thread whose host thread has not finished, by id: the tid table that yield
    /// and make_runnable look threads up in, and what <see cref="AbandonAll"/> wakes.
    /// </summary>
    private readonly ConcurrentDictionary<int, KThread> _threads = new();
    private readonly Cpu[] _cpus;
    private int _lastThreadId;

    /// <param name="locks">The machine's lock registry (a plain one, lockdep off, if not given).</param>
    public Scheduler(IReadOnlyList<Hart> harts, LockRegistry? locks = null)
    {
        Locks = locks ?? new LockRegistry(harts);
        _cpus = new Cpu[harts.Count];
        for (int i = 0; i < harts.Count; i++)
            _cpus[i] = new Cpu(i, harts[i], Locks);
    }

    /// <summary>Every lock of this machine, with its figures and the lockdep graph.</summary>
    public LockRegistry Locks { get; }

    public Spinlock Lock { get; } = new("sched");

    public IReadOnlyList<Cpu> Cpus => _cpus;

    /// <summary>
    /// In a deterministic run, the token the CPUs take turns with and the interleaving that
    /// makes its choices (including which runnable thread a CPU takes); null in a normal run.
    /// Set before <see cref="Start"/>.
    /// </summary>
    public Interleaver? Interleaver
    {
        get => _interleaver;
        set
        {
            _interleaver = value;
            foreach (Cpu cpu in _cpus)
                cpu.Interleaver = value;
            if (value != null)
                value.WorkWaiting = () => _runQueue.Count > 0 || !_admissions.IsEmpty;
        }
    }

    private Interleaver? _interleaver;

    /// <summary>Called when a kernel thread's body throws: a kernel bug (the kernel prints it and halts).</summary>
    public Action<Exception>? ThreadCrashed { get; set; }

    /// <summary>Set once the machine halts: idle loops end and nothing more is scheduled.</summary>
    public bool Halted { get; private set; }

    /// <summary>Kernel threads whose host threads have not yet finished (idle threads included).</summary>
    public int LiveThreads => _threads.Count;

    /// <summary>Threads waiting in the run queue (not counting those running).</summary>
    public int RunnableCount => _runQueue.Count;

    /// <summary>Threads asleep until a tick.</summary>
    public int TimedSleepers => _timed.Count;

    /// <summary>
    /// Gives every CPU an idle thread and starts them. After this, any thread made runnable
    /// gets a CPU. <paramref name="idleWork"/> runs on an idle CPU each time it wakes (to
    /// handle timer ticks and device interrupts).
    /// </summary>
    public void Start(Action<Cpu> idleWork, TimeSpan? idleWait = null)
    {
        foreach (Cpu cpu in _cpus)
        {
            // Idle threads stay out of the tid space: nothing a user names can reach them.
            KThread idle = new(-1 - cpu.Id, $"idle{cpu.Id}", () => IdleLoop(cpu, idleWork, idleWait ?? TimeSpan.FromMilliseconds(100)))
            {
                State = ThreadState.Running,
                Cpu = cpu,
            };
            cpu.Idle = idle;
            cpu.Current = idle;
            _threads[idle.Id] = idle;
            idle.Start(() => _threads.TryRemove(idle.Id, out _));
            idle.Unpark();
        }
    }

    /// <summary>A new thread id (the next in the one space of tids and pids), for a thread made later.</summary>
    public int NewThreadId() => Interlocked.Increment(ref _lastThreadId);

    /// <summary>
    /// Makes a thread that will run <paramref name="body"/> once scheduled; call
    /// <see cref="MakeRunnable"/> to let it run. When the body returns, the thread is dead and
    /// its CPU goes to the next thread. <paramref name="id"/> is one <see cref="NewThreadId"/>
    /// gave out, or null for a fresh one.
    /// </summary>
    public KThread CreateThread(string name, Action body, int? id = null)
    {
        KThread? thread = null;
        thread = new KThread(id ?? NewThreadId(), name, () =>
        {
            // Like xv6's forkret: the thread that handed us this CPU still held the
            // scheduler lock; it is ours to release.
            Lock.Release();
            try
            {
                body();
            }
            catch (Exception) when (thread!.Abandoned)
            {
                // Torn down while parked: whatever it hit while unwinding (a lock that needs a
                // CPU it no longer has) is no kernel bug.
                return;
            }
            catch (Exception e)
            {
                // The thread's locks and state are unknown now: report, and stop scheduling
                // rather than run on a broken kernel. Its CPU is never handed on.
                ThreadCrashed?.Invoke(e);
                if (ThreadCrashed == null)
                    throw;
                return;
            }
            Finish(thread!);
        });
        if (!_threads.TryAdd(thread.Id, thread))
            throw Panic.Now($"thread id {thread.Id} is in use");
        thread.Start(() => _threads.TryRemove(thread.Id, out _));
        return thread;
    }

    /// <summary>The live thread with tid <paramref name="tid"/>, or null (idle threads are not found).</summary>
    public KThread? Find(int tid) => tid > 0 && _threads.TryGetValue(tid, out KThread? t) && t.State != ThreadState.Dead ? t : null;

    public void MakeRunnable(KThread thread)
    {
        Lock.Acquire();
        Enqueue(thread, woken: true);
        Lock.Release();
    }

    /// <summary>
    /// Lets a new thread made by the running thread <paramref name="creator"/> run: it inherits
    /// the creator's mode, and under <see cref="SchedulingMode.NewThreadFirst"/> the creator
    /// hands it its CPU at once; otherwise it waits its turn while the creator runs on.
    /// </summary>
    public void StartCreated(KThread creator, KThread created)
    {
        created.Mode = creator.Mode;
        Lock.Acquire();
        if (creator.Mode == SchedulingMode.NewThreadFirst && created.State == ThreadState.Embryo)
        {
            created.State = ThreadState.Runnable;
            Enqueue(creator, woken: false);
            Switch(creator, created);
        }
        else
        {
            Enqueue(created, woken: true);
        }
        Lock.Release();
    }

    /// <summary>
    /// Makes a thread runnable from a host thread that holds no CPU (boot, tests): it is
    /// queued aside and every CPU is nudged so that an idle one picks it up.
    /// </summary>
    public void Submit(KThread thread)
    {
        _admissions.Enqueue(thread);
        foreach (Cpu cpu in _cpus)
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
        _interleaver?.Begin();
    }

    /// <summary>Gives up the CPU for one round (a time slice ended, or Pebbles' yield(-1)).</summary>
    public void Yield()
    {
        KThread me = CurrentThread();
        if (me == me.Cpu!.Idle)
            return;
        _interleaver?.Point(me.Cpu, PointKind.Yield, canYield: false);
        Lock.Acquire();
        Enqueue(me, woken: false);
        Switch(me);
        Lock.Release();
    }

    /// <summary>
    /// Pebbles' yield(tid): runs thread <paramref name="tid"/> next on this CPU if it is
    /// runnable, in O(1) (a table lookup and a removal from the middle of the run queue). A
    /// thread blocked on a kernel lock stands for the thread that ultimately holds it (holder,
    /// the lock that holder waits for, its holder, ...), so yielding to a waiter helps the
    /// lock along. A thread already running (on another CPU, or the caller) needs no help:
    /// the caller just yields. -1 yields to anyone.
    /// </summary>
    public YieldResult YieldTo(int tid)
    {
        if (tid == -1)
        {
            Yield();
            return YieldResult.Yielded;
        }
        KThread me = CurrentThread();
        KThread? named = Find(tid);
        if (named == null)
            return YieldResult.NoSuchThread;
        Lock.Acquire();
        bool waitsForLock = named.State == ThreadState.Blocked && named.BlockedOn is IHeldLock;
        KThread target = LockHolderOf(named);
        YieldResult result = YieldResult.Yielded;
        if (target.State == ThreadState.Runnable && target.Queue == _runQueue)
        {
            _runQueue.Remove(target);
            Enqueue(me, woken: false);
            Switch(me, target);
        }
        else if (target.State is ThreadState.Running or ThreadState.Runnable || waitsForLock)
        {
            // Running already (here or on another CPU), or handed a CPU and about to run, or
            // waiting for a lock whose holder cannot be run from here: just yield.
            Enqueue(me, woken: false);
            Switch(me);
        }
        else
        {
            // Sleeping, descheduled, blocked on a semaphore, not yet started, or gone.
            result = named.State == ThreadState.Dead ? YieldResult.NoSuchThread : YieldResult.NotRunnable;
        }
        Lock.Release();
        return result;
    }

    /// <summary>Caller holds Lock. The thread that ultimately holds what <paramref name="t"/> waits for, or t itself.</summary>
    private static KThread LockHolderOf(KThread t)
    {
        KThread target = t;
        for (int i = 0; i < MaxHolderChain && target.State == ThreadState.Blocked; i++)
        {
            // Holder is read without the lock's own guard: a hint, as a yield is.
            if (target.BlockedOn is not IHeldLock { Holder: { } holder } || holder == target)
                break;
            target = holder;
        }
        return target;
    }

    /// <summary>
    /// xv6's sleep: atomically releases <paramref name="conditionLock"/> and sleeps on
    /// <paramref name="channel"/>; reacquires the lock before returning. Taking the scheduler
    /// lock before releasing the condition lock means no wakeup can slip in between. It may
    /// return without a wakeup on the channel (after a <see cref="WakeThread"/>), so callers
    /// check their condition in a loop, as xv6's do.
    /// </summary>
    public void Sleep(object channel, Spinlock conditionLock)
    {
        KThread me = CurrentThread();
        bool own = conditionLock == Lock;
        if (!own)
        {
            Lock.Acquire();
            conditionLock.Release();
        }
        if (me.WakePending)
        {
            // Killed after checking for it under the condition lock, before getting here:
            // sleeping now would miss the kill's wakeup (xv6 has this window too).
            me.WakePending = false;
        }
        else
        {
            me.Channel = channel;
            me.State = ThreadState.Sleeping;
            SleepersOf(channel).PushBack(me);
            Switch(me);
        }
        me.Channel = null;
        if (!own)
        {
            Lock.Release();
            conditionLock.Acquire();
        }
    }

    /// <summary>
    /// Sleeps until <paramref name="clock"/> reaches <paramref name="wakeTick"/> (at once if it
    /// has), or until <see cref="WakeThread"/> interrupts the sleep. The clock's tick is read
    /// under the scheduler lock, and the tick handler increments it before taking that lock to
    /// wake the due sleepers, so a sleeper that saw the old tick is on the queue in time.
    /// </summary>
    public void SleepUntil(long wakeTick, Clock clock)
    {
        KThread me = CurrentThread();
        Lock.Acquire();
        if (me.WakePending)
            me.WakePending = false; // killed just before: return as if woken
        else if (clock.Ticks < wakeTick)
        {
            me.State = ThreadState.Sleeping;
            _timed.Add(me, wakeTick);
            Switch(me);
        }
        Lock.Release();
    }

    /// <summary>The tick handler: wakes every timed sleeper due at <paramref name="now"/>, earliest first.</summary>
    public void WakeDue(long now)
    {
        Lock.Acquire();
        while (_timed.TakeDue(now) is { } t)
            Enqueue(t, woken: true);
        Lock.Release();
    }

    /// <summary>Wakes every thread sleeping on <paramref name="channel"/>.</summary>
    public void Wakeup(object channel)
    {
        Lock.Acquire();
        if (_channels.Remove(channel, out ThreadQueue? sleepers))
        {
            while (sleepers.PopFront() is { } t)
                Enqueue(t, woken: true);
            _spareQueues.Push(sleepers);
        }
        Lock.Release();
    }

    /// <summary>
    /// Interrupts one thread's wait, whatever it waits on (kill and signals do this): a sleep on a
    /// channel or on time, or a deschedule. A thread blocked on a lock is left alone: it wakes
    /// when it gets the lock. One not waiting yet (it may be about to, having checked for the
    /// kill just before) keeps the wake-up for its next sleep or deschedule, so none is lost.
    /// </summary>
    public void WakeThread(KThread thread)
    {
        Lock.Acquire();
        switch (thread.State)
        {
            case ThreadState.Sleeping when thread.Channel != null:
                ThreadQueue sleepers = _channels[thread.Channel];
                sleepers.Remove(thread);
                if (sleepers.Count == 0)
                {
                    _channels.Remove(thread.Channel);
                    _spareQueues.Push(sleepers);
                }
                Enqueue(thread, woken: true);
                break;
            case ThreadState.Sleeping when thread.HeapIndex >= 0:
                _timed.Remove(thread);
                Enqueue(thread, woken: true);
                break;
            case ThreadState.Descheduled:
                Enqueue(thread, woken: true);
                break;
            default:
                if (thread.DeschedulePending)
                    thread.WakeRequested = true;
                else
                    thread.WakePending = true;
                break;
        }
        Lock.Release();
    }

    /// <summary>
    /// Makes a thread running on another CPU stop and look at its flags soon: its CPU gets an
    /// inter-processor interrupt, so user code returns to the kernel within an interrupt check.
    /// </summary>
    public void Nudge(KThread thread)
    {
        Lock.Acquire();
        if (thread.State == ThreadState.Running && thread.Cpu is { } cpu && cpu != Cpu.Mine)
        {
            cpu.Trace?.IpiSent(cpu, "a running thread has a signal to take");
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
        }
        Lock.Release();
    }

    /// <summary>
    /// Blocks the calling thread on a kernel lock or semaphore (<paramref name="on"/>), atomically
    /// releasing <paramref name="guard"/>, the spinlock that protects it: whoever hands the lock
    /// over must take the guard, which it cannot have before the caller is Blocked. Returns when
    /// <see cref="Unblock"/> names the thread; it does not take the guard again.
    /// </summary>
    public void Block(object on, Spinlock guard)
    {
        KThread me = CurrentThread();
        Lock.Acquire();
        me.State = ThreadState.Blocked;
        me.BlockedOn = on;
        guard.Release();
        Insight.LockWait? traced = me.Cpu!.Trace?.WaitFor(on);
        Switch(me);
        traced?.End();
        Lock.Release();
    }

    /// <summary>Makes a thread <see cref="Block"/>ed on a lock runnable (the lock was handed to it).</summary>
    public void Unblock(KThread thread)
    {
        Lock.Acquire();
        if (thread.State != ThreadState.Blocked)
        {
            Lock.Release();
            throw Panic.Now($"unblock: {thread} is not blocked");
        }
        thread.BlockedOn = null;
        Enqueue(thread, woken: true);
        Lock.Release();
    }

    /// <summary>
    /// Pebbles' deschedule, first half: the calling thread announces that it is about to
    /// deschedule itself. A make_runnable (or kill) that names it from now on is remembered,
    /// so the caller may read its reject flag from user memory (which can fault, and so
    /// cannot be done under a spinlock) and still lose no wake-up in <see cref="FinishDeschedule"/>.
    /// </summary>
    public void BeginDeschedule()
    {
        KThread me = CurrentThread();
        Lock.Acquire();
        me.DeschedulePending = true;
        me.WakeRequested = false;
        Lock.Release();
    }

    /// <summary>
    /// Pebbles' deschedule, second half: blocks until <see cref="WakeDescheduled"/> or
    /// <see cref="WakeThread"/> names the caller, unless <paramref name="reject"/> was nonzero,
    /// the caller must stop, or a wake-up arrived since <see cref="BeginDeschedule"/> (then it
    /// returns at once, as if it had blocked and been woken).
    /// </summary>
    public void FinishDeschedule(bool reject, bool stop)
    {
        KThread me = CurrentThread();
        Lock.Acquire();
        me.DeschedulePending = false;
        if (!reject && !stop && !me.WakeRequested)
        {
            me.State = ThreadState.Descheduled;
            Switch(me);
        }
        me.WakeRequested = false;
        Lock.Release();
    }

    /// <summary>Pebbles' make_runnable: wakes thread <paramref name="tid"/> from deschedule.</summary>
    public WakeResult WakeDescheduled(int tid)
    {
        KThread? t = Find(tid);
        if (t == null)
            return WakeResult.NoSuchThread;
        WakeResult result = WakeResult.Woken;
        Lock.Acquire();
        if (t.State == ThreadState.Descheduled)
            Enqueue(t, woken: true);
        else if (t.DeschedulePending && !t.WakeRequested)
            t.WakeRequested = true; // on its way into deschedule: it will return at once
        else if (t.DeschedulePending)
            result = WakeResult.NotDescheduled; // already woken on its way in: a second wake is refused, as for a runnable thread
        else
            result = t.State == ThreadState.Dead ? WakeResult.NoSuchThread : WakeResult.NotDescheduled;
        Lock.Release();
        return result;
    }

    /// <summary>The most instructions <paramref name="thread"/> may run in user mode before coming back to the kernel.</summary>
    public static long UserBudget(KThread thread, long budget) =>
        thread.Mode == SchedulingMode.ShortSlices ? Math.Min(budget, ShortSlice) : budget;

    /// <summary>Whether the thread gives up its CPU after this return from user mode.</summary>
    public static bool SliceOver(KThread thread, bool tickSliceOver, bool systemCall) =>
        tickSliceOver
        || thread.Mode == SchedulingMode.ShortSlices
        || (systemCall && thread.Mode == SchedulingMode.YieldAtSystemCallReturn);

    /// <summary>
    /// After a halt, when the machine is torn down: every kernel thread still waiting for a
    /// CPU (asleep, runnable, or parked in a hand-over) unwinds, and its host thread goes back
    /// to the pool. Without this each one would stay parked for the life of the host process.
    /// </summary>
    public void AbandonAll()
    {
        if (!Halted)
            throw new InvalidOperationException("threads can be abandoned only after a halt");
        foreach (KThread thread in _threads.Values)
            thread.Abandon();
        _interleaver?.Abandon();
    }

    /// <summary>Stops scheduling: every idle CPU is woken so its loop can end.</summary>
    public void Halt()
    {
        Halted = true;
        foreach (Cpu cpu in _cpus)
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
    }

    public static KThread CurrentThread() =>
        KThread.Current is { Cpu: not null } t ? t : throw Panic.Now("no current thread holding a CPU");

    /// <summary>
    /// Caller holds Lock. Puts a thread on the run queue and wakes an idle CPU for it. A woken
    /// thread under <see cref="SchedulingMode.WokenThreadFirst"/> goes to the front; a thread
    /// that merely yields always goes to the back.
    /// </summary>
    private void Enqueue(KThread thread, bool woken)
    {
        thread.State = ThreadState.Runnable;
        if (woken)
            _cpus[0].Trace?.Wake(thread);
        if (woken && thread.Mode == SchedulingMode.WokenThreadFirst)
            _runQueue.PushFront(thread);
        else
            _runQueue.PushBack(thread);
        foreach (Cpu cpu in _cpus)
        {
            if (cpu.Current == cpu.Idle && cpu.Current != KThread.Current)
            {
                cpu.Trace?.IpiSent(cpu, "a thread to run");
                cpu.Hart.RaiseInterrupt(InterruptLine.Software);
                break;
            }
        }
    }

    /// <summary>Caller holds Lock. The sleepers on a channel, made when the first one comes.</summary>
    private ThreadQueue SleepersOf(object channel)
    {
        if (!_channels.TryGetValue(channel, out ThreadQueue? sleepers))
        {
            sleepers = _spareQueues.Count > 0 ? _spareQueues.Pop() : new ThreadQueue();
            _channels.Add(channel, sleepers);
        }
        return sleepers;
    }

    /// <summary>
    /// xv6's sched: the caller holds Lock and nothing else, and has set its own state. Hands
    /// the CPU to <paramref name="chosen"/> (taken off the run queue by the caller) or else to
    /// the next runnable thread (or the idle thread), and parks until some CPU is handed back;
    /// returns holding Lock again.
    /// </summary>
    private void Switch(KThread me, KThread? chosen = null)
    {
        Cpu cpu = me.Cpu!;
        if (!Lock.Holding())
            throw Panic.Now("sched: scheduler lock not held");
        if (cpu.InterruptsOffDepth != 1)
            throw Panic.Now($"sched: {cpu.InterruptsOffDepth - 1} other locks held");
        if (me.State == ThreadState.Running)
            throw Panic.Now("sched: thread still running");

        KThread next = chosen ?? NextToRun() ?? cpu.Idle!;
        if (next == me)
        {
            me.State = ThreadState.Running;
            return;
        }
        HandOver(me, next, cpu);
        if (me.State != ThreadState.Dead)
            me.Park();
    }

    private static void HandOver(KThread me, KThread next, Cpu cpu)
    {
        cpu.Trace?.Switch(cpu, me, next);
        me.Cpu = null;
        next.Cpu = cpu;
        next.State = ThreadState.Running;
        cpu.Current = next;
        cpu.ContextSwitches++;
        next.Unpark();
    }

    /// <summary>The end of a thread: its CPU goes to the next thread and its host thread ends.</summary>
    private void Finish(KThread me)
    {
        Lock.Acquire();
        me.State = ThreadState.Dead;
        Cpu cpu = me.Cpu!;
        KThread next = NextToRun() ?? cpu.Idle!;
        // The lock goes with the CPU; this host thread no longer holds either.
        HandOver(me, next, cpu);
    }

    /// <summary>
    /// An idle CPU: run whatever becomes runnable, otherwise wait for an interrupt (a tick, a
    /// device, or the IPI that <see cref="Enqueue"/> sends).
    /// </summary>
    private void IdleLoop(Cpu cpu, Action<Cpu> idleWork, TimeSpan idleWait)
    {
        KThread me = cpu.Idle!;
        _interleaver?.WaitForTurn(cpu);
        while (!Halted)
        {
            Lock.Acquire();
            if (NextToRun() is { } next)
            {
                me.State = ThreadState.Runnable; // not on the queue: idle threads are found through their CPU
                HandOver(me, next, cpu);
                me.Park();
                Lock.Release();
                continue;
            }
            Lock.Release();
            if (_interleaver != null)
            {
                // A deterministic run never waits on the host: take what is pending, and if
                // that made nothing runnable, the turn moves on.
                cpu.Trace?.IdleIpi(cpu);
                cpu.Hart.ClearInterrupt(InterruptLine.Software);
                idleWork(cpu);
                if (_runQueue.Count == 0 && _admissions.IsEmpty && !Halted)
                    _interleaver.IdleTurn(cpu);
                continue;
            }
            cpu.Hart.WaitForInterrupt(idleWait);
            cpu.Trace?.IdleIpi(cpu);
            cpu.Hart.ClearInterrupt(InterruptLine.Software);
            idleWork(cpu);
        }
    }

    /// <summary>Caller holds Lock. The head of the run queue, after taking in submitted threads.</summary>
    private KThread? NextToRun()
    {
        while (_admissions.TryDequeue(out KThread? admitted))
        {
            admitted.State = ThreadState.Runnable;
            _runQueue.PushBack(admitted);
        }
        if (_interleaver != null && _runQueue.Count > 1 && _interleaver.Strategy.PickRunnable(_runQueue.Count) is > 0 and int pick)
        {
            KThread chosen = _runQueue.At(Math.Min(pick, _runQueue.Count - 1));
            _runQueue.Remove(chosen);
            return chosen;
        }
        return _runQueue.PopFront();
    }
}
