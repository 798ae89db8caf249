namespace Osprey.Kernel.Sched;

/// <summary>
/// Where timer ticks come from. Every source of time the scheduler sees goes through here, so
/// a run can be made to depend on instructions retired instead of on the host's clock.
/// </summary>
public interface ITickSource : IDisposable
{
    /// <summary>Instructions a CPU may run in user mode before it must stop to count a tick (long.MaxValue: no limit).</summary>
    long UserBudget(Cpu cpu);

    /// <summary>A CPU's user-mode run ended after <paramref name="retired"/> instructions; true if that makes a tick due on it.</summary>
    bool Retired(Cpu cpu, long retired);

    /// <summary>Starts raising timer interrupts on the CPUs (host time), or nothing (instruction count).</summary>
    void Start(IReadOnlyList<Cpu> cpus);
}
