using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A mutual-exclusion spinlock with xv6's discipline. Holding one keeps interrupts off on the
/// holder's CPU (push_off), so a lock taken by an interrupt handler cannot deadlock against
/// the code it interrupted. The owner is the CPU, not the thread: the scheduler lock is handed
/// from one thread to the next with the CPU across a context switch, exactly as in xv6.
/// Re-acquiring a lock this CPU holds, or releasing one it does not, is a kernel bug and panics.
///
/// Every lock has a name and a class (its name unless given one: the kmem.cpu0, kmem.cpu1, ...
/// locks are one class), and registers itself with its machine's <see cref="LockRegistry"/> the
/// first time it is taken. It counts acquisitions, contended acquisitions and spin iterations
/// (one per failed test-and-set), and measures how long takers waited and holders held it; with
/// lockdep on, every acquisition is checked against the lock order first.
/// </summary>
public sealed class Spinlock
{
    private readonly string? _className;
    private readonly bool _guard;
    private int _locked;
    private volatile Cpu? _owner;
    private LockEntry? _entry;
    private long _acquiredAt;

    public Spinlock(string name, string? lockClass = null)
    {
        Name = name;
        _className = lockClass;
        Stats = new LockStats();
    }

    /// <summary>
    /// A sleep lock's guard: not registered or ordered itself, it only adds its failed
    /// test-and-sets to the sleep lock's figures (<paramref name="owner"/>).
    /// </summary>
    internal Spinlock(string name, LockStats owner)
    {
        Name = name;
        Stats = owner;
        _guard = true;
    }

    public string Name { get; }

    public LockStats Stats { get; }

    /// <summary>This lock's registration, once it has been taken.</summary>
    public LockEntry? Entry => _entry;

    public void Acquire() => Acquire(0);

    /// <summary>
    /// Takes the lock as the <paramref name="subclass"/>th lock of its class held at once: tells
    /// lockdep that holding another lock of the class is intended, and in which order.
    /// </summary>
    public void AcquireNested(int subclass) => Acquire(subclass);

    /// <summary>
    /// Takes one more lock of a class this CPU already holds one of, in an order that by itself
    /// rules out deadlock among them (a page table's range locks, in address order): counted as
    /// usual, but lockdep sees only the first of the run, which stands for all of them (as
    /// Linux's nest_lock annotation does). There may be more of them than nesting levels.
    /// </summary>
    internal void AcquireInOrder() => Acquire(0, ordered: false);

    private void Acquire(int subclass, bool ordered = true)
    {
        Cpu cpu = Cpu.PushOff();
        if (Holding(cpu))
            throw Panic.Now($"acquire {Name}: already held by this CPU");
        if (_guard)
        {
            Stats.SpinIterations += Take();
            _owner = cpu;
            return;
        }

        LockRegistry locks = cpu.Locks;
        LockEntry entry = _entry ?? locks.Register(ref _entry, Name, _className, Stats, LockKind.Spin);
        Lockdep? lockdep = ordered ? locks.Dependencies : null;
        lockdep?.CheckAcquire(cpu, entry, subclass, KThread.Current?.HeldSleepLocks);

        long start = locks.Now();
        long spins = Take();
        long now = spins > 0 ? locks.Now() : start;
        _owner = cpu;
        _acquiredAt = now;
        if (spins > 0)
        {
            Stats.Contended++;
            Stats.SpinIterations += spins;
            Stats.RecordWait(locks.ToReportUnits(now - start));
        }
        Stats.Acquisitions++;
        if (lockdep != null)
            cpu.HeldSpinlocks.Push(entry, entry.Class.Node(subclass, lockdep), cpu.InInterrupt);
    }

    /// <summary>The test-and-set loop; returns the failed attempts.</summary>
    private long Take()
    {
        if (Interlocked.CompareExchange(ref _locked, 1, 0) == 0)
            return 0;
        long spins = 0;
        var wait = new SpinWait();
        do
        {
            // The holder may be a host thread the host OS has descheduled; SpinWait
            // yields the host CPU after a few rounds so it can run and release.
            wait.SpinOnce(sleep1Threshold: -1);
            spins++;
        } while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
        return spins;
    }

    public void Release()
    {
        Cpu? cpu = Cpu.Mine;
        if (cpu == null || !Holding(cpu))
            throw Panic.Now($"release {Name}: not held by this CPU");
        if (!_guard && _entry is { } entry)
        {
            LockRegistry locks = cpu.Locks;
            Stats.RecordHold(locks.ToReportUnits(locks.Now() - _acquiredAt));
            if (locks.Dependencies != null)
                cpu.HeldSpinlocks.Remove(entry);
        }
        _owner = null;
        Volatile.Write(ref _locked, 0);
        Cpu.PopOff();
    }

    /// <summary>
    /// The lock is going away with the object it guards (a pipe's, when the pipe is freed): its
    /// figures move into its class's sum. Called by the last user, with the lock not held.
    /// </summary>
    public void Retire()
    {
        if (_entry is { } entry && Cpu.Mine is { } cpu)
            cpu.Locks.Retire(entry);
    }

    /// <summary>Whether the calling thread's CPU holds this lock.</summary>
    public bool Holding() => Cpu.Mine is { } cpu && Holding(cpu);

    private bool Holding(Cpu cpu) => Volatile.Read(ref _locked) != 0 && _owner == cpu;

    public override string ToString() => $"spinlock {Name}";
}
