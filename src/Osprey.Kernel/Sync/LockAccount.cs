using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// What a sleeping lock of Pebbles' kind (<see cref="Mutex"/>, <see cref="RwLock"/>,
/// <see cref="Semaphore"/>, <see cref="CondVar"/>) keeps for the machine's
/// <see cref="LockRegistry"/>: its figures and its entry, registered on the first acquisition
/// as a <see cref="LockKind.Sleep"/> lock, as <see cref="SleepLock"/> registers. An acquisition
/// is contended when it had to block; its wait runs from the call until the lock was handed
/// over; a hold from then until the release (<see cref="Count"/>, <see cref="Waited"/>,
/// <see cref="EndHold"/>). Spin iterations are the failed test-and-sets on
/// the lock's guard (which is not a lock of its own in the registry).
///
/// With lockdep on, a lock that has a holder (a mutex, an rwlock) is ordered: <see cref="Begin"/>
/// checks it against the spinlocks the CPU holds (a blocking lock under a spinlock panics) and
/// the sleep locks the thread holds, and the holder's <see cref="KThread.HeldSleepLocks"/> lists
/// it while held (<see cref="Hold"/>, <see cref="Forget"/>). One without a holder (a semaphore: its P and V are made by different threads;
/// a condition variable, where what is taken again is the mutex) is only counted.
///
/// The figures are written by the holder, or under the lock's guard where several hold at once
/// (an rwlock's readers, a semaphore's waits), as <see cref="LockStats"/> requires.
/// </summary>
internal sealed class LockAccount(string name, string? className)
{
    private LockEntry? _entry;

    public LockStats Stats { get; } = new();

    public LockEntry? Entry => _entry;

    /// <summary>
    /// Before an acquisition by the calling thread: registers the lock the first time and, when
    /// <paramref name="ordered"/>, checks the lock order. Returns the start of the wait.
    /// </summary>
    public long Begin(KThread me, bool ordered)
    {
        Cpu cpu = me.Cpu!;
        LockRegistry locks = cpu.Locks;
        LockEntry entry = _entry ?? locks.Register(ref _entry, name, className, Stats, LockKind.Sleep);
        if (ordered)
            locks.Dependencies?.CheckAcquire(cpu, entry, 0, me.HeldSleepLocks);
        return locks.Now();
    }

    /// <summary>An acquisition (<paramref name="contended"/>: it found the lock taken and must block). By the holder or under the guard.</summary>
    public void Count(bool contended)
    {
        Stats.Acquisitions++;
        if (contended)
            Stats.Contended++;
    }

    /// <summary>A blocked acquisition that began at <paramref name="start"/> got the lock now; returns now. By the holder or under the guard.</summary>
    public long Waited(long start)
    {
        LockRegistry locks = Cpu.Mine!.Locks;
        long now = locks.Now();
        Stats.RecordWait(locks.ToReportUnits(now - start));
        return now;
    }

    /// <summary>With lockdep on, the calling thread's held sleep locks list this lock from now on.</summary>
    public void Hold(KThread me)
    {
        if (me.Cpu!.Locks.Dependencies is { } lockdep && _entry is { } entry)
            me.HeldSleepLocks.Push(entry, entry.Class.Node(0, lockdep), inInterrupt: false);
    }

    /// <summary>A hold that began at <paramref name="since"/> ends now (of the lock, or of an rwlock's read side). By the holder or under the guard.</summary>
    public void EndHold(long since)
    {
        LockRegistry locks = Cpu.Mine!.Locks;
        Stats.RecordHold(locks.ToReportUnits(locks.Now() - since));
    }

    /// <summary>The calling thread no longer holds the lock: lockdep forgets it.</summary>
    public void Forget(KThread me)
    {
        if (me.Cpu!.Locks.Dependencies != null && _entry != null)
            me.HeldSleepLocks.Remove(_entry);
    }

    /// <summary>The registry's clock now.</summary>
    public static long Now() => Cpu.Mine!.Locks.Now();

    /// <summary>The lock goes away with its object: its figures stay in its class's sum.</summary>
    public void Retire()
    {
        if (_entry is { } entry && Cpu.Mine is { } cpu)
            cpu.Locks.Retire(entry);
    }
}
