namespace Osprey.Kernel.Sched;

/// <summary>
/// Where timer ticks come from. Every source of time the scheduler sees goes through here, so
/// a run can be made to depend on instructions retired instead of on the host's clock.
/// </summary>
public interface ITickSource : IDisposable
{
    /// <summary>Instructions a CPU may run in user mode before it must stop to count a tick (long.MaxValue: no limit).</summary>
    long UserBudget(Cpu cpu);

    /// <summary>
    /// A CPU's user-mode run ended after <paramref name="retired"/> instructions (with the
    /// trap that ended it charged as instructions, <see cref="InstructionTickSource.Charge"/>). Returns true
    /// if its time slice is over; <paramref name="clockTicks"/> is how many ticks of the global
    /// clock passed with them.
    /// </summary>
    bool Retired(Cpu cpu, long retired, out int clockTicks);

    /// <summary>
    /// True when nothing but work moves time, so a machine with every CPU idle must move the
    /// clock itself (from the idle loop) or its sleepers would never wake.
    /// </summary>
    bool AdvancesWhileIdle { get; }

    /// <summary>How long an idle CPU waits for an interrupt before looking again.</summary>
    TimeSpan IdleWait { get; }

    /// <summary>Starts raising timer interrupts on the CPUs (host time), or nothing (instruction count).</summary>
    void Start(IReadOnlyList<Cpu> cpus);
}
