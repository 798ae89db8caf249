using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Vm;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Trap;

/// <summary>
/// The boundary between user and kernel mode (xv6's trap.c). Each user thread spends its life
/// in <see cref="UserLoop"/>: load its registers and its task's page table into its CPU's
/// hart, run it until it traps, save the registers, and handle the trap (a system call, an
/// interrupt, or a fault, which kills the thread or its task with a one-line message). The
/// top of the loop is the thread's safe point: a thread asked to end ends there.
/// </summary>
public sealed class TrapHandler(OspreyKernel kernel)
{
    /// <summary>The most a hart runs between returns to the kernel when no tick is due (keeps halts prompt).</summary>
    private const long MaxUserSlice = 1 << 22;

    public void UserLoop(UserThread t)
    {
        Process p = t.Task;
        KThread me = t.Kernel!;
        PointKind? stoppedAt = null;
        while (true)
        {
            KernelStack.Check();
            // A deterministic run's turn may end here, where the thread holds no lock.
            if (Cpu.Mine!.Interleaver is { } interleaver && interleaver.AtUserBoundary(Cpu.Mine, stoppedAt))
                kernel.Scheduler.Yield();
            stoppedAt = null;
            if (t.MustEnd)
            {
                kernel.Lifecycle.EndThread(t);
                return;
            }
            if (kernel.Scheduler.Halted)
                return;
            if (p.Signals.Pending != 0)
            {
                // A signal to take: its handler's frame, or the end of the task (then the
                // thread ends at the top of the loop).
                kernel.Signals.Deliver(t);
                if (t.MustEnd)
                    continue;
            }
            kernel.Debugger?.Gate(t);

            // Interrupts wait from here until the hart is back and its work counted: a switch
            // half way into user mode (the TLB's catch-up takes a lock, whose release is a
            // preemption point) would run this thread on a hart another thread set up.
            Cpu cpu = Cpu.PushOff();
            Hart hart = cpu.Hart;
            Tlb.Enter(cpu, p.PageTable!);
            if (cpu.LastUserThread != t)
            {
                // Another thread's LR reservation must not let this thread's SC succeed.
                hart.ClearReservation();
                cpu.LastUserThread = t;
            }
            if (cpu.LoadedPageTable != p.PageTable || Cpu.Mine != cpu)
                throw Panic.Now("trap: entering user mode on a hart set up for another address space");
            t.TrapFrame.LoadInto(hart);
            long budget = Scheduler.UserBudget(me, Math.Min(kernel.Ticks.UserBudget(cpu), MaxUserSlice));
            if (cpu.Interleaver != null)
            {
                budget = Math.Min(budget, cpu.Interleaver.UserBudget(cpu));
                if (t.StoppedBeforeAtomic)
                    hart.PassAtomicOnce();
                else
                    hart.ForgetAtomicStop();
            }
            ulong before = hart.Instret;
            Machine.Cpu.Trap trap = kernel.Debugger is { } debugger ? debugger.Run(t, hart, budget) : hart.Run(budget);
            Tlb.Leave(cpu);
            t.TrapFrame.SaveFrom(hart);
            long retired = (long)(hart.Instret - before);
            cpu.Interleaver?.Retired(cpu, retired);
            t.StoppedBeforeAtomic = trap.Cause == TrapCause.BeforeAtomic;
            // The trap's own cost moves a deterministic run's clock too (a host clock ignores it).
            bool sliceOver = kernel.Ticks.Retired(cpu, retired + InstructionTickSource.Charge(trap.Cause), out int clockTicks);
            Cpu.PopOff(); // a pending interrupt may be taken (and the thread switched) from here on
            for (int i = 0; i < clockTicks; i++)
                kernel.Clock.Tick();

            bool systemCall = trap.Cause == TrapCause.EnvironmentCallFromUser;
            switch (trap.Cause)
            {
                case TrapCause.EnvironmentCallFromUser:
                    t.TrapFrame.Pc += 4;
                    if (Cpu.Mine is { Interleaver: { } il } now)
                        il.Point(now, PointKind.SystemCallEntry, canYield: false);
                    stoppedAt = PointKind.SystemCallReturn;
                    Insight.SyscallWatch.Entry? watched = kernel.Watch?.Enter(t);
                    long result = kernel.Syscalls.Dispatch((long)t.TrapFrame[TrapFrame.A7]);
                    kernel.Watch?.Exit(t, watched, result);
                    if (!t.MustEnd)
                        t.TrapFrame[TrapFrame.A0] = (ulong)result;
                    break;
                case TrapCause.Interrupt:
                    HandleInterrupts(Cpu.Mine!);
                    break;
                case TrapCause.BudgetExhausted:
                    break;
                case TrapCause.BeforeAtomic:
                    stoppedAt = PointKind.Atomic;
                    break;
                case TrapCause.InstructionPageFault or TrapCause.LoadPageFault or TrapCause.StorePageFault
                    when Vm.PageFaults.HandleUserFault(p, trap):
                    break;
                default:
                    if (Pebbles.ExceptionHandlers.TryDeliver(t, kernel.Memory, trap))
                        break;
                    Vm.PageFaults.CountKilled(p, trap);
                    string who = t.Tid == p.Pid ? $"pid {p.Pid}" : $"pid {p.Pid} tid {t.Tid}";
                    // sp as well, as Linux's segfault line has it: a wild stack pointer and a
                    // wild address look alike from the address alone.
                    kernel.Console.Print($"{who} {p.Name}: {Describe(trap)} sp=0x{t.TrapFrame[TrapFrame.Sp]:x}; killed\n");
                    kernel.Lifecycle.Fault(t);
                    break;
            }
            if (Scheduler.SliceOver(me, sliceOver, systemCall))
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
        cpu.Trace?.Interrupts(cpu, hart.IsInterruptPending(InterruptLine.Timer), hart.IsInterruptPending(InterruptLine.External), hart.IsInterruptPending(InterruptLine.Software));
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
