namespace Osprey.Machine.Jit;

/// <summary>Why translated code returned to the dispatcher; the exit record is in <see cref="JitState"/>.</summary>
public enum JitExit
{
    /// <summary>A jump to code this translation does not hold; continue at the exit pc.</summary>
    Continue,

    /// <summary>An interrupt is pending or the budget cannot cover the next basic block.</summary>
    Stop,

    /// <summary>
    /// The interpreter must run the instruction at the exit pc, and goes on to the next jump: a
    /// load or store the TLB could not do at once (a miss, misaligned, crossing a page, or
    /// faulting), fence.i, or an instruction straddling two pages.
    /// </summary>
    Interpret,

    /// <summary>An atomic faulted; the cause and address are in the hart's fault record.</summary>
    Fault,

    Ecall,
    Ebreak,
    Illegal,

    /// <summary>An instruction run by the interpreter inside translated code trapped; the trap is in the hart.</summary>
    StepTrap,

    /// <summary>The translation was invalidated (its code changed) before it ran.</summary>
    Invalid,
}
