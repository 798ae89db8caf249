using Osprey.Kernel.Dev;
using Osprey.Kernel.Sched;

namespace Osprey.Kernel;

// Deterministic runs (--seed, --deterministic, explore, replay): the CPUs take turns chosen
// by an interleaving (Sched/Interleaver.cs), time is the instruction clock, and console input
// arrives at virtual instants (Dev/DeterministicInput.cs). What the kernel adds here is what a
// quiescent machine does: give input, let time pass, or say it is deadlocked.
public sealed partial class OspreyKernel
{
    /// <summary>The exit status of a deterministic run stopped by a deadlock or its instruction limit.</summary>
    public const int StoppedStatus = 124;

    private DeterministicInput? _deterministicInput;
    private volatile bool _powerOffRequested;

    /// <summary>The deterministic run's token and choices; null in a normal run.</summary>
    public Interleaver? Interleaver => Scheduler.Interleaver;

    /// <summary>Why a deterministic run was stopped ("deadlock", "instruction limit"), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Whether a replayed input recording stopped matching the run.</summary>
    public bool ReplayDiverged => _deterministicInput?.Diverged ?? false;

    /// <summary>
    /// Powers off from the host (Ctrl-A x): at once in a normal run; in a deterministic run at
    /// the start of the next turn, which a recording keeps.
    /// </summary>
    public void PowerOff()
    {
        if (Interleaver == null)
            Halt();
        else
            _powerOffRequested = true;
    }

    /// <summary>
    /// Virtual time in nanoseconds, the trace's clock in a deterministic run: 10 ms a tick and
    /// 10 ns an instruction (or a trap's charge) towards the next, the rates of the virtual
    /// time CSR (<see cref="VirtualTimeSource"/>).
    /// </summary>
    private long VirtualNanoseconds()
    {
        const long nanosecondsPerTick = 1_000_000_000 / HostTickSource.TicksPerSecond;
        var ticks = (InstructionTickSource)Ticks;
        return Clock.Ticks * nanosecondsPerTick + ticks.RetiredTowardsTick * nanosecondsPerTick / ticks.InstructionsPerTick;
    }

    private void MakeDeterministic(VirtualTimeSource time)
    {
        var ticks = (InstructionTickSource)Ticks;
        time.Read = () => (Clock.Ticks, ticks.RetiredTowardsTick);
        IInterleaving strategy = Options.Interleaving ?? new SeededInterleaving(Options.EffectiveSeed);
        var interleaver = new Interleaver(Scheduler.Cpus, strategy) { InstructionLimit = Options.InstructionLimit };
        bool atomics = (strategy.Points & PreemptionPoints.Atomics) != 0;
        foreach (Machine.Cpu.Hart hart in _harts)
            hart.StopBeforeAtomics = atomics;
        _deterministicInput = Options.ReplayInput != null
            ? DeterministicInput.Replay(Uart, Options.ReplayInput)
            : DeterministicInput.Live(Uart, Options.ConsoleInput, Options.ConsoleIsTerminal, Options.RecordInput);
        if (Options.RecordInput != null)
            InputRecording.WriteHeader(Options.RecordInput, Options.EffectiveSeed, Options.Cpus, Options.ConsoleIsTerminal);
        interleaver.TurnStarted = TurnStarted;
        interleaver.Quiescent = Quiesce;
        interleaver.Deadlocked = () => Stop("deadlock", "every thread is blocked and nothing can wake one");
        interleaver.LimitReached = () => Stop("instruction limit", $"{Options.InstructionLimit} user instructions ran without the program ending");
        Scheduler.Interleaver = interleaver;
    }

    private void TurnStarted(long turn)
    {
        if (_deterministicInput!.AtTurn(turn) || _powerOffRequested)
            Halt();
        else if (_deterministicInput.Diverged)
            Stop("replay diverged", $"the recording's next event was due before turn {turn}: it was made by another program, seed, CPU count or build");
    }

    /// <summary>
    /// Every CPU idle, nothing runnable: input first (a typist waits for the machine to
    /// settle), then time. At a terminal, time passes while someone waits for the person to
    /// type; with nobody reading the console and nobody asleep on time, nothing the person
    /// types can help, and the run is deadlocked as with piped input.
    /// </summary>
    private bool Quiesce(long turn)
    {
        if (_deterministicInput!.AtQuiescence(turn))
            return true;
        if (Scheduler.TimedSleepers > 0 || (_deterministicInput.Interactive && Console.HasWaitingReader))
        {
            Clock.Tick();
            return true;
        }
        return false;
    }

    private void Stop(string reason, string detail)
    {
        if (Scheduler.Halted)
            return;
        StopReason = reason;
        Options.Diagnostics.WriteLine($"osprey: {reason}: {detail} (turn {Interleaver!.Turns}, {Interleaver.Instructions} instructions)");
        Options.Diagnostics.Flush();
        Halt();
    }
}
