namespace Osprey.Machine.Cpu;

/// <summary>
/// Why <see cref="Hart.Run"/> returned. Exception causes carry the numbers the privileged
/// specification puts in scause; the last two are not exceptions but reasons to stop.
/// </summary>
public enum TrapCause
{
    InstructionAddressMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadAddressMisaligned = 4,
    LoadAccessFault = 5,
    StoreAddressMisaligned = 6,
    StoreAccessFault = 7,
    EnvironmentCallFromUser = 8,
    InstructionPageFault = 12,
    LoadPageFault = 13,
    StorePageFault = 15,

    /// <summary>An interrupt line was pending; <see cref="Trap.Value"/> is its <see cref="InterruptLine"/>.</summary>
    Interrupt = 0x100,

    /// <summary>The instruction budget given to <see cref="Hart.Run"/> ran out.</summary>
    BudgetExhausted = 0x101,

    /// <summary>
    /// <see cref="Hart.StopBeforeAtomics"/> is set and the next instruction (at the trap's pc)
    /// is an AMO or a load-reserved; the next Run executes it first (a deterministic run's
    /// preemption point).
    /// </summary>
    BeforeAtomic = 0x102,
}
