using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A reader-writer spinlock for data read on every CPU all the time and written almost never
/// (Linux 2.4's "big-reader lock", brlock; lglock later): one spinlock per CPU. A reader takes
/// only its own CPU's, so readers on different CPUs share no lock and no cache line: an
/// ordinary reader-writer lock's reader count is one word that every reader on every CPU
/// writes twice, and its cache line moves between the CPUs at every acquisition and release,
/// however rarely a writer comes. A writer takes every CPU's lock, in CPU order, which shuts
/// out all readers; so writing costs a lock per CPU, which is the trade.
///
/// A reader is a spinlock holder: interrupts stay off, so its thread stays on its CPU until it
/// releases (that is also what tells <see cref="UnlockRead"/> which lock is the reader's), and
/// it must not sleep or take a sleep lock. Its locks are one class named after the lock
/// (instances <c>NAME.cpu0</c>, <c>NAME.cpu1</c>, ...), so lock statistics and lockdep see the
/// class's sums; the writer takes the first CPU's lock as usual and the others in order (the
/// CPU order rules out deadlock among them, as a page table's range locks' address order does).
/// </summary>
public sealed class BigReaderLock
{
    private readonly Spinlock[] _perCpu;

    // Each CPU's lock is made with a gap after it, so no two CPUs' locks (and their figures,
    // written at every acquisition) share a cache line.
    private readonly CacheLineGap[] _gaps;

    // And one after the two arrays, which every reader reads: the first CPU's lock would
    // otherwise start in their last cache line.
    private readonly CacheLineGap _arraysGap;

    public BigReaderLock(string name, int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        Name = name;
        _perCpu = new Spinlock[cpus];
        _gaps = new CacheLineGap[cpus];
        _arraysGap = CacheLineGap.Make();
        for (int i = 0; i < cpus; i++)
        {
            _perCpu[i] = new Spinlock($"{name}.cpu{i}", name);
            _gaps[i] = CacheLineGap.Make();
        }
    }

    public string Name { get; }

    /// <summary>Acquisitions of both sides (a write counts one per CPU), and those that had to spin.</summary>
    public long Acquisitions => _perCpu.Sum(l => l.Stats.Acquisitions);

    public long Contended => _perCpu.Sum(l => l.Stats.Contended);

    public void LockRead()
    {
        // Interrupts off while the lock is chosen: the thread cannot move to another CPU
        // between reading its CPU and taking that CPU's lock.
        Cpu cpu = Cpu.PushOff();
        _perCpu[cpu.IndexIn(_perCpu.Length)].Acquire();
        Cpu.PopOff();
    }

    public void UnlockRead()
    {
        Cpu cpu = Cpu.Mine ?? throw Panic.Now($"brlock {Name}: read-unlocked without a CPU");
        // The reader's thread has not left its CPU since LockRead; if it had (it slept), the
        // release finds this CPU's lock not held by it and panics.
        _perCpu[cpu.IndexIn(_perCpu.Length)].Release();
    }

    public void LockWrite()
    {
        _perCpu[0].Acquire();
        for (int i = 1; i < _perCpu.Length; i++)
            _perCpu[i].AcquireInOrder();
    }

    public void UnlockWrite()
    {
        for (int i = _perCpu.Length - 1; i >= 0; i--)
            _perCpu[i].Release();
    }

    public override string ToString() => $"brlock {Name}";
}
