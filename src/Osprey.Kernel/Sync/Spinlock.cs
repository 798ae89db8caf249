using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// A mutual-exclusion spinlock with xv6's discipline. Holding one keeps interrupts off on the
/// holder's CPU (push_off), so a lock taken by an interrupt handler cannot deadlock against
/// the code it interrupted. The owner is the CPU, not the thread: the scheduler lock is handed
/// from one thread to the next with the CPU across a context switch, exactly as in xv6.
/// Re-acquiring a lock this CPU holds, or releasing one it does not, is a kernel bug and panics.
/// </summary>
public sealed class Spinlock
{
    private int _locked;
    private volatile Cpu? _owner;

    public Spinlock(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public LockStats Stats { get; } = new();

    public void Acquire()
    {
        Cpu cpu = Cpu.PushOff();
        if (Holding(cpu))
            throw Panic.Now($"acquire {Name}: already held by this CPU");

        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
        {
            long spins = 0;
            var wait = new SpinWait();
            Insight.LockWait? traced = cpu.Trace?.Wait(Name, _owner?.Current);
            do
            {
                // The holder may be a host thread the host OS has descheduled; SpinWait
                // yields the host CPU after a few rounds so it can run and release.
                wait.SpinOnce(sleep1Threshold: -1);
                spins++;
            } while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
            traced?.End();
            Stats.Contended++;
            Stats.SpinIterations += spins;
        }
        _owner = cpu;
        Stats.Acquisitions++;
    }

    public void Release()
    {
        Cpu? cpu = Cpu.Mine;
        if (cpu == null || !Holding(cpu))
            throw Panic.Now($"release {Name}: not held by this CPU");
        _owner = null;
        Volatile.Write(ref _locked, 0);
        Cpu.PopOff();
    }

    /// <summary>Whether the calling thread's CPU holds this lock.</summary>
    public bool Holding() => Cpu.Mine is { } cpu && Holding(cpu);

    private bool Holding(Cpu cpu) => Volatile.Read(ref _locked) != 0 && _owner == cpu;

    public override string ToString() => $"spinlock {Name}";
}
