namespace Osprey.Kernel.Sched;

/// <summary>
/// Deterministic ticks: a CPU's tick is due after it retires <see cref="InstructionsPerTick"/>
/// user instructions, whatever the host's clock says. Time therefore moves only with work,
/// and an idle machine's sleepers are woken by the idle loop advancing time (see Kernel).
/// </summary>
public sealed class InstructionTickSource(long instructionsPerTick = InstructionTickSource.DefaultInstructionsPerTick) : ITickSource
{
    /// <summary>About 10 ms of guest work at a few hundred MIPS.</summary>
    public const long DefaultInstructionsPerTick = 1_000_000;

    private long[] _left = [];

    public long InstructionsPerTick { get; } = instructionsPerTick;

    public long UserBudget(Cpu cpu) => _left[cpu.Id];

    public bool Retired(Cpu cpu, long retired)
    {
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
