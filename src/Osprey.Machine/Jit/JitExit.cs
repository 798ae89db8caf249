namespace Osprey.Machine.Jit;

/// <summary>Why translated code returned to the dispatcher; the exit record is in <see cref="JitState"/>.</summary>
internal enum JitExit
{
    /// <summary>A jump to code this translation does not hold; continue at the exit pc.</summary>
    Continue,

    /// <summary>An interrupt is pending or the budget cannot cover the next basic block.</summary>
    Stop,

    /// <summary>The interpreter must run the instruction at the exit pc (fence.i, one straddling two pages).</summary>
    Step,

    /// <summary>A memory access faulted; the cause and address are in the hart's fault record.</summary>
    Fault,

    Ecall,
    Ebreak,
    Illegal,

    /// <summary>An instruction run by the interpreter inside translated code trapped; the trap is in the hart.</summary>
    StepTrap,

    /// <summary>The translation was invalidated (its code changed) before it ran.</summary>
    Invalid,
}
