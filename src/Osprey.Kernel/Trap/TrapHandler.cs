using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Trap;

/// <summary>
/// The boundary between user and kernel mode (xv6's trap.c). A process's thread spends its
/// life in <see cref="UserLoop"/>: load the process into its CPU's hart, run it until it
/// traps, save its registers, and handle the trap (a system call, an interrupt, or a fault,
/// which kills the process with a one-line message).
/// </summary>
public sealed class TrapHandler(OspreyKernel kernel)
{
    /// <summary>The most a hart runs between returns to the kernel when no tick is due (keeps halts prompt).</summary>
    private const long MaxUserSlice = 1 << 22;

    public void UserLoop(Process p)
    {
        while (true)
        {
            if (p.Killed && !p.Exited)
                kernel.ExitProcess(p, -1);
            if (p.Exited || kernel.Scheduler.Halted)
                return;

            Cpu cpu = Cpu.Mine!;
            Hart hart = cpu.Hart;
            EnterUser(cpu, p);
            ulong before = hart.Instret;
            Machine.Cpu.Trap trap = hart.Run(Math.Min(kernel.Ticks.UserBudget(cpu), MaxUserSlice));
            p.TrapFrame.SaveFrom(hart);
            bool sliceOver = kernel.Ticks.Retired(cpu, (long)(hart.Instret - before), out int clockTicks);
            for (int i = 0; i < clockTicks; i++)
                kernel.Clock.Tick();

            switch (trap.Cause)
            {
                case TrapCause.EnvironmentCallFromUser:
                    p.TrapFrame.Pc += 4;
                    long result = kernel.Syscalls.Dispatch((long)p.TrapFrame[TrapFrame.A7]);
                    if (!p.Exited)
                        p.TrapFrame[TrapFrame.A0] = (ulong)result;
                    break;
                case TrapCause.Interrupt:
                    HandleInterrupts(Cpu.Mine!);
                    break;
                case TrapCause.BudgetExhausted:
                    break;
                case TrapCause.InstructionPageFault or TrapCause.LoadPageFault or TrapCause.StorePageFault
                    when Vm.PageFaults.HandleUserFault(p, trap):
                    break;
                default:
                    kernel.Console.Print($"pid {p.Pid} {p.Name}: {Describe(trap)}; killed\n");
                    p.MarkKilled();
                    break;
            }
            if (sliceOver)
                kernel.Scheduler.Yield();
        }
    }

    /// <summary>
    /// Takes the interrupts pending on a CPU: a timer tick (counted on CPU 0) ends the time
    /// slice, a device interrupt runs its driver, an IPI only wakes. Called on return from
    /// user mode and where kernel code re-enables interrupts.
    /// </summary>
    public void HandleInterrupts(Cpu cpu)
    {
        Hart hart = cpu.Hart;
        cpu.InInterrupt = true;
        bool timer = hart.IsInterruptPending(InterruptLine.Timer);
        if (timer)
        {
            hart.ClearInterrupt(InterruptLine.Timer);
            if (cpu.Id == 0)
                kernel.Clock.Tick();
        }
        if (hart.IsInterruptPending(InterruptLine.External))
        {
            hart.ClearInterrupt(InterruptLine.External);
            kernel.Console.Interrupt();
        }
        hart.ClearInterrupt(InterruptLine.Software);
        cpu.InInterrupt = false;
        if (timer && cpu.Current != cpu.Idle)
            kernel.Scheduler.Yield();
    }

    /// <summary>
    /// Loads the process into the hart: registers always; satp (which flushes the whole TLB)
    /// only when the CPU last ran another page table; and when this table has changed since,
    /// just the pages that changed, if it remembers them all.
    /// </summary>
    private static void EnterUser(Cpu cpu, Process p)
    {
        Hart hart = cpu.Hart;
        var table = p.PageTable!;
        if (cpu.LoadedPageTable == table && cpu.LoadedGeneration != table.Generation && FlushChangedPages(cpu, table))
            cpu.LoadedGeneration = table.Generation;
        if (cpu.LoadedPageTable != table || cpu.LoadedGeneration != table.Generation)
        {
            hart.Mmu.SatpValue = table.Satp;
            cpu.LoadedPageTable = table;
            cpu.LoadedGeneration = table.Generation;
        }
        p.TrapFrame.LoadInto(hart);
    }

    private static bool FlushChangedPages(Cpu cpu, Vm.PageTable table)
    {
        for (long g = cpu.LoadedGeneration + 1; g <= table.Generation; g++)
        {
            if (!table.TryChangedPage(g, out _))
                return false;
        }
        for (long g = cpu.LoadedGeneration + 1; g <= table.Generation; g++)
        {
            table.TryChangedPage(g, out ulong page);
            cpu.Hart.Mmu.Flush(page);
        }
        return true;
    }

    private static string Describe(Machine.Cpu.Trap trap) => trap.Cause switch
    {
        TrapCause.IllegalInstruction => $"illegal instruction 0x{trap.Value:x} at pc=0x{trap.Pc:x}",
        TrapCause.Breakpoint => $"breakpoint at pc=0x{trap.Pc:x}",
        TrapCause.InstructionPageFault => $"instruction page fault at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}",
        TrapCause.LoadPageFault => $"load page fault at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}",
        TrapCause.StorePageFault => $"store page fault at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}",
        _ => $"{trap.Cause} (cause {(int)trap.Cause}) at pc=0x{trap.Pc:x} addr=0x{trap.Value:x}",
    };
}
