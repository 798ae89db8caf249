using Osprey.Kernel.Sched;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Vm;

/// <summary>
/// The CPUs' TLBs for user page tables. A CPU entering user mode brings its TLB up to date
/// with the table it will run (<see cref="Enter"/>); a CPU that removed or narrowed a mapping
/// of a table other CPUs may be running makes each of them drop its stale translations before
/// the change is relied on (<see cref="Shootdown"/>): before a removed page's frame is freed,
/// for one. That is a TLB shootdown: an inter-processor interrupt, and a wait for the answer.
///
/// How a CPU answers: a hart in user mode returns to the kernel at its next interrupt check,
/// and a CPU in the kernel brings its TLB up to date (flushing the changed pages) before it
/// runs user code again. So the initiator waits until each CPU running the table either is in
/// the kernel or has caught up with the table's generation. Each side writes first and reads
/// second with a full fence between (the CPU: "I run this table", then the generation; the
/// initiator: the new generation, then who runs it), so at least one of them sees the other.
///
/// A table's change log (its generation and latest changed pages) is under the table's tlb
/// lock, taken after its range locks.
/// </summary>
public sealed class Tlb(IReadOnlyList<Cpu> cpus)
{
    private long _shootdowns, _interrupts;

    /// <summary>Shootdowns that had to wait for another CPU.</summary>
    public long Shootdowns => Interlocked.Read(ref _shootdowns);

    /// <summary>Inter-processor interrupts those sent.</summary>
    public long Interrupts => Interlocked.Read(ref _interrupts);

    /// <summary>
    /// Called on the way into user mode, with interrupts off (pushed) until the hart returns, so
    /// that the thread cannot be switched between here and its run. satp is only rewritten (which
    /// flushes the whole TLB) when the CPU last ran a different table, or this one changed by
    /// more pages than it remembers; otherwise just the pages changed since are flushed (a
    /// targeted sfence.vma), or nothing.
    /// </summary>
    public static void Enter(Cpu cpu, PageTable table)
    {
        cpu.RunningUserTable = table;
        Interlocked.MemoryBarrier();
        if (cpu.LoadedPageTable == table && cpu.LoadedGeneration == table.Generation)
            return;
        Hart hart = cpu.Hart;
        long caughtUp;
        if (cpu.LoadedPageTable != table || !table.FlushChangedSince(cpu.LoadedGeneration, hart.Mmu, out caughtUp))
        {
            caughtUp = table.Generation; // read before the flush: a change after it waits for us
            hart.Mmu.SatpValue = table.Satp;
            cpu.LoadedPageTable = table;
        }
        cpu.LoadedGeneration = caughtUp;
    }

    /// <summary>The hart has returned to the kernel: no shootdown need wait for this CPU now.</summary>
    public static void Leave(Cpu cpu) => cpu.RunningUserTable = null;

    /// <summary>
    /// After entries of <paramref name="table"/> were removed or narrowed (its generation
    /// bumped): returns once no other CPU runs user code on translations older than that.
    /// </summary>
    public void Shootdown(PageTable table)
    {
        long generation = table.Generation;
        Interlocked.MemoryBarrier();
        Cpu? me = Cpu.Mine;
        foreach (Cpu cpu in cpus)
        {
            if (cpu == me || !Stale(cpu, table, generation))
                continue;
            Interlocked.Increment(ref _shootdowns);
            Interlocked.Increment(ref _interrupts);
            cpu.Trace?.IpiSent(cpu, "TLB shootdown");
            cpu.Hart.RaiseInterrupt(InterruptLine.Software);
            var wait = new SpinWait();
            while (Stale(cpu, table, generation))
            {
                if (me?.Interleaver is { } interleaver)
                    interleaver.Spin(me, cpu); // one CPU at a time: that one must run to leave user mode
                else
                    wait.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static bool Stale(Cpu cpu, PageTable table, long generation) =>
        cpu.RunningUserTable == table && cpu.LoadedGeneration < generation;
}
