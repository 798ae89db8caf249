using Osprey.Kernel.Sync;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Round-robin scheduling of kernel threads over the simulated CPUs.
///
/// A context switch is a hand-over: the running thread picks the next one, gives it its CPU
/// by unparking its host thread, and parks its own. When nothing else can run, the CPU goes
/// to its idle thread, which waits for an interrupt without burning host CPU.
///
/// <see cref="Lock"/> protects the run queue, the sleeping list, every thread's State,
/// Channel and Cpu, and every CPU's Current. It is held across a hand-over and released by
/// the thread that receives the CPU, as xv6 holds p->lock across swtch. Lock order: any other
/// lock may be held when taking it (sleep takes it while holding the condition's lock); never
/// take another lock while holding it.
/// </summary>
public sealed class Scheduler
{
    private readonly Queue<KThread> _runQueue = new();

    // Threads handed in by host threads that hold no CPU (boot, tests) and so cannot take
    // Lock; moved to the run queue by the next CPU that schedules.
    private readonly System.Collections.Concurrent.ConcurrentQueue<KThread> _admissions = new();
    private readonly List<KThread> _sleeping = new();

    /// <summary>Every kernel thread whose host thread has not finished, by id (for <see cref="AbandonAll"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, KThread> _live = new();
    private readonly Cpu[] _cpus;
    private int _nextThreadId = 1;

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

    /// <summary>Called when a kernel thread's body throws: a kernel bug (the kernel prints it and halts).</summary>
    public Action<Exception>? ThreadCrashed { get; set; }

    /// <summary>Set once the machine halts: idle loops end and nothing more is scheduled.</summary>
    public bool Halted { get; private set; }

    /// <summary>
    /// Gives every CPU an idle thread and starts them. After this, any thread made runnable
    /// gets a CPU. <paramref name="idleWork"/> runs on an idle CPU each time it wakes (to
    /// handle timer ticks and device interrupts).
    /// </summary>
    public void Start(Action<Cpu> idleWork, TimeSpan? idleWait = null)
    {
        foreach (Cpu cpu in _cpus)
        {
            KThread idle = new(NewThreadId(), $"idle{cpu.Id}", () => IdleLoop(cpu, idleWork, idleWait ?? TimeSpan.FromMilliseconds(100)))
            {
                State = ThreadState.Running,
                Cpu = cpu,
            };
            cpu.Idle = idle;
            cpu.Current = idle;
            _live[idle.Id] = idle;
            idle.Start(() => _live.TryRemove(idle.Id, out _));
            idle.Unpark();
        }
    }

    /// <summary>
    /// Makes a thread that will run <paramref name="body"/> once scheduled; call
    /// <see cref="MakeRunnable"/> to let it run. When the body returns, the thread is dead and
    /// its CPU goes to the next thread.
    /// </summary>
    public KThread CreateThread(string name, Action body)
    {
        KThread? thread = null;
        thread = new KThread(NewThreadId(), name, () =>
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
        _live[thread.Id] = thread;
        thread.Start(() => _live.TryRemove(thread.Id, out _));
        return thread;
    }

    public void MakeRunnable(KThread thread)
    {
        Lock.Acquire();
        Enqueue(thread);
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
    }

    /// <summary>Gives up the CPU for one round (a time slice ended).</summary>
    public void Yield()
    {
        KThread me = CurrentThread();
        if (me == me.Cpu!.Idle)
            return;
        Lock.Acquire();
        Enqueue(me);
        Switch(me);
        Lock.Release();
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
            _sleeping.Add(me);
            Switch(me);
        }
        me.Channel = null;
        if (!own)
        {
            Lock.Release();
            conditionLock.Acquire();
        }
    }

    /// <summary>Wakes every thread sleeping on <paramref name="channel"/>.</summary>
    public void Wakeup(object channel)
    {
        Lock.Acquire();
        for (int i = _sleeping.Count - 1; i >= 0; i--)
        {
            KThread t = _sleeping[i];
            if (ReferenceEquals(t.Channel, channel))
            {
                _sleeping.RemoveAt(i);
                Enqueue(t);
            }
        }
        Lock.Release();
    }

    /// <summary>
    /// Wakes one particular thread, whatever it sleeps on (kill does this). One not asleep yet
    /// (it may be about to sleep, having checked for the kill just before) keeps the wakeup
    /// for its next <see cref="Sleep"/>, so none is lost.
    /// </summary>
    public void WakeThread(KThread thread)
    {
        Lock.Acquire();
        if (thread.State == ThreadState.Sleeping && _sleeping.Remove(thread))
            Enqueue(thread);
        else
            thread.WakePending = true;
        Lock.Release();
    }

    /// <summary>
    /// After a halt, when the machine is torn down: every kernel thread still waiting for a
    /// CPU (asleep, runnable, or parked in a hand-over) unwinds, and its host thread goes back
    /// to the pool. Without this each one would stay parked for the life of the host process.
    /// </summary>
    public void AbandonAll()
    {
        if (!Halted)
            throw new InvalidOperationException("threads can be abandoned only after a halt");
        foreach (KThread thread in _live.Values)
            thread.Abandon();
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

    /// <summary>Caller holds Lock. Puts a thread on the run queue and wakes an idle CPU for it.</summary>
    private void Enqueue(KThread thread)
    {
        thread.State = ThreadState.Runnable;
        _runQueue.Enqueue(thread);
        foreach (Cpu cpu in _cpus)
        {
            if (cpu.Current == cpu.Idle && cpu.Current != KThread.Current)
            {
                cpu.Hart.RaiseInterrupt(InterruptLine.Software);
                break;
            }
        }
    }

    /// <summary>
    /// xv6's sched: the caller holds Lock and nothing else, and has set its own state. Hands
    /// the CPU to the next runnable thread (or the idle thread) and parks until some CPU is
    /// handed back; returns holding Lock again.
    /// </summary>
    private void Switch(KThread me)
    {
        Cpu cpu = me.Cpu!;
        if (!Lock.Holding())
            throw Panic.Now("sched: scheduler lock not held");
        if (cpu.InterruptsOffDepth != 1)
            throw Panic.Now($"sched: {cpu.InterruptsOffDepth - 1} other locks held");
        if (me.State == ThreadState.Running)
            throw Panic.Now("sched: thread still running");

        KThread next = NextToRun() ?? cpu.Idle!;
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
            cpu.Hart.WaitForInterrupt(idleWait);
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
            _runQueue.Enqueue(admitted);
        }
        return _runQueue.Count > 0 ? _runQueue.Dequeue() : null;
    }

    private int NewThreadId() => Interlocked.Increment(ref _nextThreadId);
}
