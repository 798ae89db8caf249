namespace Osprey.Kernel.Sched;

/// <summary>
/// A deterministic run's machine: the simulated CPUs take turns instead of running at once,
/// so that what happens is a function of the <see cref="IInterleaving"/>'s answers and of
/// nothing on the host.
///
/// Every CPU is still driven by the host thread of the kernel thread it holds, as in a normal
/// run; the difference is a token. Only the host thread of the CPU that has the token runs;
/// every other CPU's thread waits at its CPU's gate. A turn ends at the end of a quantum of
/// user instructions (at the top of the user loop, where the thread holds no lock), at a
/// preemption point the interleaving chooses, where a CPU would spin on something another CPU
/// must do (a held spinlock, a TLB shootdown), and on an idle CPU with nothing to do. The
/// holder then picks the next CPU, opens its gate and waits at its own. Hand-overs between
/// threads on one CPU keep the token with the CPU: the thread that receives the CPU runs on.
///
/// When every CPU is idle and nothing is runnable, the machine is quiescent: the kernel moves
/// input or time on (<see cref="Quiescent"/>), and if neither can change anything any more,
/// the run is deadlocked.
///
/// All fields are touched only by the token holder (the gates order every hand-over), so none
/// needs a lock.
/// </summary>
public sealed class Interleaver
{
    private readonly Cpu[] _cpus;
    private readonly SemaphoreSlim[] _gates;
    private readonly long[] _quantumLeft;
    private readonly int[] _candidates;

    // CPUs that gave the token away in the middle of something (at a preemption point, or
    // spinning on another CPU) and must get it back to finish, even if they look idle: an idle
    // thread can be half way through an interrupt handler (draining the UART) when it passes.
    private readonly bool[] _paused;
    private volatile bool _abandoned;
    private bool _begun;

    public Interleaver(IReadOnlyList<Cpu> cpus, IInterleaving strategy)
    {
        _cpus = cpus.ToArray();
        _gates = _cpus.Select(_ => new SemaphoreSlim(0, 1)).ToArray();
        _quantumLeft = new long[_cpus.Length];
        _candidates = new int[_cpus.Length];
        _paused = new bool[_cpus.Length];
        Strategy = strategy;
    }

    public IInterleaving Strategy { get; }

    /// <summary>Turns given so far: the virtual instant that recorded input is tied to.</summary>
    public long Turns { get; private set; }

    /// <summary>Preemption points passed so far, of the kinds the strategy asks about.</summary>
    public long PointsPassed { get; private set; }

    /// <summary>User instructions retired by all CPUs together.</summary>
    public long Instructions { get; private set; }

    /// <summary>Instructions after which the run is stopped (<see cref="LimitReached"/>), or long.MaxValue.</summary>
    public long InstructionLimit { get; set; } = long.MaxValue;

    /// <summary>Whether threads wait for a CPU (set by the scheduler).</summary>
    internal Func<bool> WorkWaiting { get; set; } = () => false;

    /// <summary>
    /// Every CPU is idle, nothing is runnable: move input or time on. Given the turn; returns
    /// false if nothing can ever happen again.
    /// </summary>
    public Func<long, bool>? Quiescent { get; set; }

    /// <summary>Quiescent found nothing to do: every thread is blocked for ever.</summary>
    public Action? Deadlocked { get; set; }

    /// <summary>The run went past <see cref="InstructionLimit"/>.</summary>
    public Action? LimitReached { get; set; }

    /// <summary>A turn is beginning (given its number), before the CPU that has it runs.</summary>
    public Action<long>? TurnStarted { get; set; }

    /// <summary>Gives the first turn to CPU 0, once the first thread has been submitted.</summary>
    internal void Begin()
    {
        if (_begun)
            return;
        _begun = true;
        Grant(0);
        _gates[0].Release();
    }

    /// <summary>Waits until CPU <paramref name="cpu"/> has the token (an idle thread's first act, and every pass's second half).</summary>
    internal void WaitForTurn(Cpu cpu)
    {
        _gates[cpu.Id].Wait();
        if (_abandoned)
            throw new ThreadAbandonedException();
    }

    /// <summary>How many more user instructions this CPU's turn allows (always positive at the top of the user loop).</summary>
    public long UserBudget(Cpu cpu) => _quantumLeft[cpu.Id];

    /// <summary>The CPU's hart retired <paramref name="retired"/> user instructions of its turn.</summary>
    public void Retired(Cpu cpu, long retired)
    {
        _quantumLeft[cpu.Id] -= retired;
        Instructions += retired;
        if (Instructions > InstructionLimit)
        {
            InstructionLimit = long.MaxValue; // report once
            LimitReached?.Invoke();
        }
    }

    /// <summary>
    /// The top of the user loop, where the thread holds no lock: offers the point the hart
    /// stopped at (a system call's return, an atomic), then ends the turn if its quantum is
    /// spent. Returns true if the thread is to yield its CPU.
    /// </summary>
    public bool AtUserBoundary(Cpu cpu, PointKind? stoppedAt)
    {
        bool yield = stoppedAt is { } kind && Point(cpu, kind, canYield: true);
        if (_quantumLeft[cpu.Id] <= 0)
            Pass(cpu, Strategy.NextCpu(cpu.Id, Candidates(cpu, includeSelf: true)));
        return yield;
    }

    /// <summary>
    /// A preemption point: if the strategy asks about this kind, it may give the machine to
    /// another CPU here (the caller resumes when the token comes back) or, where
    /// <paramref name="canYield"/>, ask the thread to yield (returns true).
    /// </summary>
    public bool Point(Cpu cpu, PointKind kind, bool canYield)
    {
        if ((Strategy.Points & Category(kind)) == 0)
            return false;
        long index = PointsPassed++;
        ReadOnlySpan<int> others = Candidates(cpu, includeSelf: false);
        canYield = canYield && WorkWaiting(); // a yield with nobody to yield to changes nothing
        if (others.IsEmpty && !canYield)
            return false;
        int choice = Strategy.AtPoint(index, kind, cpu.Id, others, canYield);
        if (choice == IInterleaving.Continue)
            return false;
        if (choice == IInterleaving.YieldThread)
            return canYield;
        if (choice == cpu.Id || !others.Contains(choice))
            throw new InvalidOperationException($"the interleaving chose cpu {choice} at point {index}, not one of the others with work");
        PassMidWork(cpu, choice);
        return false;
    }

    /// <summary>
    /// CPU <paramref name="cpu"/> waits for something CPU <paramref name="on"/> must do first
    /// (release a spinlock, leave user mode): instead of spinning, which would never end with
    /// one CPU running at a time, it gives that CPU a turn.
    /// </summary>
    public void Spin(Cpu cpu, Cpu? on)
    {
        if (on == cpu)
            throw Panic.Now($"{cpu} spins on itself");
        PassMidWork(cpu, on?.Id ?? Strategy.NextCpu(cpu.Id, Candidates(cpu, includeSelf: true)));
    }

    /// <summary>
    /// An idle CPU found nothing to run: the turn goes to a CPU with work; if there is none
    /// anywhere, the machine is quiescent and the kernel moves input or time on.
    /// </summary>
    public void IdleTurn(Cpu cpu)
    {
        ReadOnlySpan<int> others = Candidates(cpu, includeSelf: false);
        if (!others.IsEmpty)
        {
            Pass(cpu, Strategy.NextCpu(cpu.Id, others));
            return;
        }
        if (Quiescent?.Invoke(Turns) != true)
        {
            Deadlocked?.Invoke();
            return;
        }
        Pass(cpu, cpu.Id); // a turn of its own, so each quiescent moment has a number
    }

    /// <summary>After a halt: every CPU's waiting thread is let go (it unwinds, see <see cref="WaitForTurn"/>).</summary>
    internal void Abandon()
    {
        _abandoned = true;
        foreach (SemaphoreSlim gate in _gates)
        {
            try
            {
                gate.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>A pass by a CPU that has more to do where it stopped: it stays a candidate for a turn while it waits.</summary>
    private void PassMidWork(Cpu me, int next)
    {
        _paused[me.Id] = true;
        Pass(me, next);
        _paused[me.Id] = false;
    }

    private void Pass(Cpu me, int next)
    {
        Grant(next);
        if (next == me.Id)
            return;
        _gates[next].Release();
        WaitForTurn(me);
    }

    private void Grant(int cpu)
    {
        Turns++;
        _quantumLeft[cpu] = Strategy.Quantum(cpu);
        TurnStarted?.Invoke(Turns);
    }

    /// <summary>CPUs that can do something with a turn: a thread to run, work it stopped half way, an interrupt to take, or (idle) a runnable thread to pick up.</summary>
    private ReadOnlySpan<int> Candidates(Cpu me, bool includeSelf)
    {
        int n = 0;
        bool waiting = WorkWaiting();
        foreach (Cpu c in _cpus)
        {
            if (c == me ? includeSelf : _paused[c.Id] || c.Current != c.Idle || c.Hart.AnyInterruptPending || waiting)
                _candidates[n++] = c.Id;
        }
        return _candidates.AsSpan(0, n);
    }

    private static PreemptionPoints Category(PointKind kind) => kind switch
    {
        PointKind.SystemCallEntry or PointKind.SystemCallReturn or PointKind.Yield => PreemptionPoints.SystemCalls,
        PointKind.LockAcquire or PointKind.LockRelease => PreemptionPoints.Locks,
        _ => PreemptionPoints.Atomics,
    };
}
