using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Time from work instead of the host's clock: the global clock ticks once per
/// <see cref="InstructionsPerTick"/> user instructions retired by all CPUs together, and a
/// CPU's time slice ends after it retires that many itself. When every CPU is idle, the
/// idle loop advances the clock (see OspreyKernel), so sleepers still wake.
/// </summary>
public sealed class InstructionTickSource(long instructionsPerTick = InstructionTickSource.DefaultInstructionsPerTick) : ITickSource
{
    /// <summary>About 10 ms of guest work at a few hundred MIPS.</summary>
    public const long DefaultInstructionsPerTick = 1_000_000;

    /// <summary>
    /// What a trap (a system call, a page fault, an interrupt) costs on this clock, in
    /// instructions: entering the kernel, saving and restoring the registers and the kernel's
    /// own work take time on a real machine too, a few hundred cycles for a simple system call
    /// on a RISC-V core. Without it time would move only with user instructions, and a thread
    /// spinning on yield() while the others sleep would retire ~10 instructions a call: 100,000
    /// calls to a tick. At 200 a tick is at most ~5,000 traps away. Stops that only a
    /// deterministic run makes (the end of a turn's budget, the stop before an atomic) cost
    /// nothing: they are not in the program, and must not move its time.
    /// </summary>
    public const long TrapCharge = 200;

    private long[] _left = [];
    private long _retiredTowardsTick;

    public long InstructionsPerTick { get; } = instructionsPerTick;

    /// <summary>Instructions retired since the last tick (the fraction of a tick the virtual time CSR shows).</summary>
    public long RetiredTowardsTick => Interlocked.Read(ref _retiredTowardsTick);

    /// <summary>The instructions a return from user mode for <paramref name="cause"/> adds to the clock besides those the hart retired.</summary>
    public static long Charge(TrapCause cause) => cause is TrapCause.BudgetExhausted or TrapCause.BeforeAtomic ? 0 : TrapCharge;

    public long UserBudget(Cpu cpu) => _left[cpu.Id];

    public bool AdvancesWhileIdle => true;

    public TimeSpan IdleWait => TimeSpan.FromMilliseconds(1);

    public bool Retired(Cpu cpu, long retired, out int clockTicks)
    {
        long total = Interlocked.Add(ref _retiredTowardsTick, retired);
        clockTicks = 0;
        while (total >= InstructionsPerTick)
        {
            // Only the thread whose subtraction succeeds counts that tick.
            if (Interlocked.CompareExchange(ref _retiredTowardsTick, total - InstructionsPerTick, total) == total)
                clockTicks++;
            total = Interlocked.Read(ref _retiredTowardsTick);
        }
        _left[cpu.Id] -= retired;
        if (_left[cpu.Id] > 0)
            return false;
        _left[cpu.Id] = InstructionsPerTick;
        return true;
    }

    public void Start(IReadOnlyList<Cpu> cpus) => _left = cpus.Select(_ => InstructionsPerTick).ToArray();

    public void Dispose()
    {
    }
}
