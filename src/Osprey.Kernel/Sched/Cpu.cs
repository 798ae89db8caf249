using Osprey.Kernel.Sync;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sched;

/// <summary>
/// A simulated CPU: the right to run kernel or user code, which exactly one kernel thread
/// holds at a time (<see cref="Current"/>), plus the hart it drives when that thread is in
/// user mode.
///
/// "Interrupts" are pending lines on the hart. User code notices them at the hart's next
/// check; kernel code notices them when this CPU's spinlock nesting drops back to zero
/// (<see cref="PopOff"/>), like preempt_enable in Linux. While any spinlock is held on this
/// CPU they wait, exactly as with xv6's push_off/pop_off.
/// </summary>
public sealed class Cpu
{
    public Cpu(int id, Hart hart, LockRegistry? locks = null)
    {
        Id = id;
        Hart = hart;
        Locks = locks ?? new LockRegistry([hart]);
        _gap = CacheLineGap.Make();
    }

    // The CPUs are made one after another: without this gap (made last) the end of one CPU's
    // fields, written at every spinlock (InterruptsOffDepth) and every entry to user mode,
    // would share a cache line with the next CPU's Id and Hart, which that CPU reads as often.
    private readonly CacheLineGap _gap;

    public int Id { get; }

    public Hart Hart { get; }

    /// <summary>The machine's lock registry: where a lock taken on this CPU registers and is ordered.</summary>
    public LockRegistry Locks { get; }

    /// <summary>The spinlocks this CPU holds, oldest first (kept for lockdep only).</summary>
    internal HeldLocks HeldSpinlocks { get; } = new();

    /// <summary>The thread holding this CPU. Changed only under the scheduler lock.</summary>
    public KThread? Current { get; internal set; }

    /// <summary>The thread that holds this CPU when no other can run (xv6's per-CPU scheduler loop).</summary>
    public KThread? Idle { get; internal set; }

    /// <summary>Depth of push_off nesting: spinlocks held on this CPU, plus explicit push_offs.</summary>
    public int InterruptsOffDepth { get; private set; }

    /// <summary>Set while this CPU runs an interrupt handler in the kernel, so one cannot nest in another.</summary>
    internal bool InInterrupt { get; set; }

    /// <summary>The page table the hart's satp and TLB now hold, and its generation then: reload when either differs.</summary>
    internal object? LoadedPageTable { get; set; }

    internal long LoadedGeneration
    {
        get => Volatile.Read(ref _loadedGeneration);
        set => Volatile.Write(ref _loadedGeneration, value);
    }

    private long _loadedGeneration;

    /// <summary>
    /// The page table whose user code the hart is running now, or null while this CPU is in
    /// the kernel. Set before the TLB is brought up to date on the way into user mode and
    /// cleared as soon as the hart returns, so a CPU changing that table knows whom to wait
    /// for in a TLB shootdown (Vm/TlbShootdown.cs).
    /// </summary>
    internal object? RunningUserTable
    {
        get => Volatile.Read(ref _runningUserTable);
        set => Volatile.Write(ref _runningUserTable, value);
    }

    private object? _runningUserTable;

    /// <summary>The user thread whose registers the hart last ran (the trap handler clears the LR reservation when it changes).</summary>
    internal object? LastUserThread { get; set; }

    /// <summary>The deterministic run's token and choices, or null in a normal run (see Interleaver).</summary>
    public Interleaver? Interleaver { get; internal set; }

    /// <summary>The --trace timeline, or null (every trace hook is a null check of this).</summary>
    public Insight.Tracer? Trace { get; internal set; }

    /// <summary>Thread hand-overs on this CPU.</summary>
    public long ContextSwitches { get; internal set; }

    /// <summary>Called where kernel code turns interrupts back on with an interrupt pending.</summary>
    internal Action<Cpu>? InterruptsEnabledWithPending { get; set; }

    /// <summary>
    /// This CPU's slot in a per-CPU array of <paramref name="count"/> (its id, unless the array
    /// has fewer slots than the machine has CPUs). Not <c>Id % count</c> on every call: a
    /// division costs tens of cycles, and per-CPU arrays are indexed on every lock and
    /// allocation.
    /// </summary>
    public int IndexIn(int count) => (uint)Id < (uint)count ? Id : Id % count;

    /// <summary>The CPU the calling thread holds, or null if it holds none.</summary>
    public static Cpu? Mine => KThread.Current?.Cpu;

    /// <summary>xv6's push_off: interrupts stay pending on this CPU until the matching PopOff.</summary>
    public static Cpu PushOff()
    {
        Cpu cpu = Mine ?? throw Panic.Now("push_off without a CPU");
        cpu.InterruptsOffDepth++;
        return cpu;
    }

    /// <summary>xv6's pop_off; at depth zero (a preemption point) the kernel stack is checked and a pending interrupt is taken.</summary>
    public static void PopOff()
    {
        Cpu cpu = Mine ?? throw Panic.Now("pop_off without a CPU");
        if (cpu.InterruptsOffDepth < 1)
            throw Panic.Now("pop_off: not pushed");
        cpu.InterruptsOffDepth--;
        if (cpu.InterruptsOffDepth != 0)
            return;
        KernelStack.Check();
        if (!cpu.InInterrupt && cpu.Hart.AnyInterruptPending)
            cpu.InterruptsEnabledWithPending?.Invoke(cpu);
    }

    public override string ToString() => $"cpu {Id}";
}
