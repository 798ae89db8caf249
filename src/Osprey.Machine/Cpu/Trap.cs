namespace Osprey.Machine.Cpu;

/// <summary>
/// The record a hart hands back to the kernel when it stops.
/// <see cref="Pc"/> is what the privileged specification would put in sepc: the address of
/// the instruction that trapped (ecall, ebreak, faults, illegal instructions), or of the next
/// instruction to run (interrupts, budget exhaustion). <see cref="Value"/> is what it would
/// put in stval: the faulting virtual address for access and page faults, the instruction
/// bits for an illegal instruction, the pc for ebreak, 0 for ecall; for an interrupt it is
/// the <see cref="InterruptLine"/>.
/// </summary>
public readonly record struct Trap(TrapCause Cause, ulong Pc, ulong Value)
{
    public override string ToString() => Cause switch
    {
        TrapCause.Interrupt => $"interrupt {(InterruptLine)Value} at pc=0x{Pc:x}",
        TrapCause.BudgetExhausted => $"budget exhausted at pc=0x{Pc:x}",
        TrapCause.EnvironmentCallFromUser => $"ecall at pc=0x{Pc:x}",
        TrapCause.IllegalInstruction => $"illegal instruction 0x{Value:x} at pc=0x{Pc:x}",
        _ => $"{Cause} at pc=0x{Pc:x} addr=0x{Value:x}",
    };
}
