using Osprey.Kernel.Dev;
using Osprey.Kernel.Exec;
using Osprey.Kernel.Files;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Kkv;
using Osprey.Kernel.Mem;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Signal;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Trap;
using Osprey.Kernel.Vm;
using Osprey.Machine.Cpu;
using Osprey.Machine.Devices;
using Osprey.Machine.Memory;
using Osprey.Machine.Time;

namespace Osprey.Kernel;

/// <summary>
/// One booted machine and the kernel on it: the subsystems, wired together. Everything a
/// kernel thread needs it finds from here, as xv6's code finds its globals.
/// </summary>
public sealed partial class OspreyKernel : IDisposable
{
    private readonly Hart[] _harts;
    private readonly ManualResetEventSlim _halted = new();
    private Thread? _inputPump;
    private string? _kkvAtShutDown; // the store as osprey run's shutdown found it, for --kkvstats

    public OspreyKernel(KernelOptions options)
    {
        if (options.Cpus is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(options), options.Cpus, "--cpus must be 1..8");
        if (options.MaxProcesses < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxProcesses, "the process table needs room for at least 2 processes");
        if (options.MaxThreads < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxThreads, "the thread limit must allow at least 2 threads");
        Options = options;
        Memory = new PhysicalMemory(options.MemoryBytes);
        VirtualTimeSource? virtualTime = options.IsDeterministic ? new VirtualTimeSource() : null;
        // One platform clock for every hart (a CLINT's single mtime): each hart's own
        // HostTimeSource would start at its own construction, so rdtime on two CPUs would differ.
        ITimeSource time = virtualTime != null ? virtualTime : new HostTimeSource();
        _harts = Enumerable.Range(0, options.Cpus).Select(i => new Hart(Memory, i, time, jit: options.Jit)).ToArray();
        if (!FrameAllocator.PolicyNames.Contains(options.Allocator))
            throw new ArgumentOutOfRangeException(nameof(options), options.Allocator, $"--allocator must be one of {string.Join(", ", FrameAllocator.PolicyNames)}");
        Locks = new LockRegistry(_harts, options.IsDeterministic, options.Lockdep);
        Scheduler = new Scheduler(_harts, Locks);
        // Pid 1 is init's (or the reaper's) whatever kernel threads are made before the boot.
        _initPid = Scheduler.NewThreadId();
        // The first frame is the zero frame.
        Frames = new FrameAllocator(Memory, VirtualMemory.ZeroFrame + PhysicalMemory.PageSize, options.Allocator, options.Cpus);
        Slabs = new SlabAllocator(Frames, options.Cpus);
        Vm = new VirtualMemory(Memory, Frames, copyOnWrite: !options.NoCow, options.LazySbrk);
        Clock = new Clock(Scheduler);
        Ticks = options.IsDeterministic ? new InstructionTickSource() : new HostTickSource();
        Tlb = new Tlb(Scheduler.Cpus);
        Processes = new ProcessTable(Scheduler, options.MaxProcesses, options.MaxThreads) { FreeResources = Lifecycle.FreeProcess };
        Lifecycle = new Lifecycle(this);
        Uart = new Uart(options.ConsoleOutput) { InterruptTarget = _harts[0] };
        Console = new Dev.Console(Uart, Scheduler)
        {
            Echo = options.ConsoleEcho,
            IsTerminal = options.ConsoleIsTerminal,
            ReaderKilled = () => UserThread.CurrentInterrupted,
            InterruptKey = () => Signals!.Interrupt(),
            ProcessDump = DumpProcesses,
            LockDump = DumpLocks,
        };
        Vm.Report = Console.Print;
        Vm.Tlb = Tlb;
        Vm.Kill = p => Processes.EndTask(p, -1);
        Loader = new ProgramLoader(Vm);
        Signals = new Signals(this);
        Clock.Ticked = Signals.Tick;
        Kkv = new KeyValueStore(Scheduler, new KkvMemory(Slabs, Memory), options.KkvGlobalLock) { PlantedDestroyBug = options.KkvPlantedBug };
        if (options.DiskImage != null)
        {
            Disk = new BlockDevice(options.DiskImage);
            ArmFaultInjection(Disk);
            // Sized so that no user program can exhaust them (both tables panic when full, as
            // xv6's do): every open file may hold an inode, and every process its cwd plus the
            // few inodes and buffers one system call holds at once; the log pins up to 30 buffers.
            FileSystem = new FileSystem(Scheduler, Disk,
                buffers: Log.MaxOpBlocks * 4 + 4 * options.MaxProcesses,
                inodes: FileTable.DefaultCapacity + 4 * options.MaxProcesses + 8);
            try
            {
                FileSystem.Mount();
            }
            catch
            {
                // Not a usable file system: the caller gets the error and no kernel to dispose.
                Disk.Dispose();
                throw;
            }
            if (FileSystem.RecoveredBlocks > 0)
                options.Diagnostics.WriteLine($"osprey: replayed a committed transaction of {FileSystem.RecoveredBlocks} blocks from the log");
        }
        Devices = new DeviceTable();
        Devices.Register(AbiConstants.CONSOLE, Console);
        Devices.Register(AbiConstants.STATS, new StatisticsDevice(Locks));
        Devices.Register(AbiConstants.NULLDEV, new NullDevice());
        Files = new FileTable(FileSystem, Devices, FileTable.DefaultCapacity);
        Syscalls = new SystemCalls(this);
        StartInsight(options);
        Traps = new TrapHandler(this);
        foreach (Cpu cpu in Scheduler.Cpus)
            cpu.InterruptsEnabledWithPending = Traps.HandleInterrupts;
        if (virtualTime != null)
            MakeDeterministic(virtualTime);
    }

    public KernelOptions Options { get; }
    public PhysicalMemory Memory { get; }
    public IReadOnlyList<Hart> Harts => _harts;
    public Scheduler Scheduler { get; }

    private readonly int _initPid;
    public LockRegistry Locks { get; }
    public FrameAllocator Frames { get; }
    public SlabAllocator Slabs { get; }
    public VirtualMemory Vm { get; }
    public Clock Clock { get; }
    public ITickSource Ticks { get; }
    public ProcessTable Processes { get; }
    public Lifecycle Lifecycle { get; }

    /// <summary>The CPUs' TLBs: bringing them up to date and shooting down stale entries.</summary>
    public Tlb Tlb { get; }
    public Uart Uart { get; }
    public Dev.Console Console { get; }
    public ProgramLoader Loader { get; }

    /// <summary>Sending and delivering signals (calls 210-216, ^C).</summary>
    public Signals Signals { get; }

    /// <summary>The kernel key-value store (calls 501-504).</summary>
    public KeyValueStore Kkv { get; }
    public BlockDevice? Disk { get; }
    public FileSystem? FileSystem { get; }
    public DeviceTable Devices { get; }
    public FileTable Files { get; }
    public SystemCalls Syscalls { get; }
    public TrapHandler Traps { get; }

    /// <summary>What watches system calls (--strace, --trace), or null.</summary>
    public Insight.SyscallWatch? Watch { get; private set; }

    /// <summary>The debugger the gdb stub drives (--gdb), or null.</summary>
    public Insight.Debugger? Debugger { get; private set; }

    /// <summary>The --trace timeline, or null.</summary>
    public Insight.Tracer? Tracer { get; private set; }

    /// <summary>The exit status of the program <see cref="Run"/> was asked to run, once it exits.</summary>
    public int? ProgramStatus { get; private set; }

    /// <summary>The panic that stopped the machine, if one did.</summary>
    public Exception? PanicReason { get; private set; }

    /// <summary>Stops the machine: nothing more is scheduled and <see cref="WaitForHalt"/> returns.</summary>
    public void Halt()
    {
        if (Interleaver != null && !Scheduler.Halted)
        {
            _deterministicInput?.Halted(Interleaver.Turns);
            // The trace ends here, on the token's holder, not when the host gets round to
            // disposing the machine: what comes after a halt must not depend on the host.
            Tracer?.Close();
        }
        Scheduler.Halt();
        _halted.Set();
    }

    public bool WaitForHalt(TimeSpan timeout) => _halted.Wait(timeout);

    /// <summary>
    /// A deliberate halt, on a kernel thread in no file-system operation (the halt call, the end
    /// of <c>osprey run</c>): the file system is shut down first, so that its superblock records
    /// a clean shutdown when nothing unlinked is still open (see <see cref="FileSystem.Unmount"/>).
    /// Every other halt (a panic, a power cut, Ctrl-A x, a test's deadline) leaves the record
    /// saying the disk was still mounted, as a crash would.
    /// </summary>
    public void HaltCleanly()
    {
        if (FileSystem is { IsMounted: true } fs && !DiskStopped && !Scheduler.Halted)
            CleanShutdown = fs.Unmount();
        // Free slab objects kept per CPU give their frames back: the count at halt is exact.
        if (!Scheduler.Halted)
            Slabs.ShrinkAll();
        Halt();
    }

    /// <summary>Whether the last halt recorded a clean shutdown on the disk.</summary>
    public bool CleanShutdown { get; private set; }

    /// <summary>Called on a kernel thread that threw: a kernel bug. Prints it and stops the machine.</summary>
    internal void PanicStop(Exception e)
    {
        lock (_halted)
        {
            if (PanicReason != null)
                return;
            PanicReason = e;
        }
        KThread? t = KThread.Current;
        Options.Diagnostics.WriteLine(e is KernelPanicException
            ? e.ToString()
            : $"panic: unexpected {e.GetType().Name} on cpu {t?.Cpu?.Id.ToString() ?? "-"}, thread {t?.Id} ({t?.Name}): {e}");
        Options.Diagnostics.Flush();
        Halt();
    }

    /// <summary>Starts the CPUs, the timer and console input. Called once, from a host thread.</summary>
    private void StartMachine()
    {
        Scheduler.ThreadCrashed = PanicStop;
        Scheduler.Start(IdleWork, Ticks.IdleWait);
        Ticks.Start(Scheduler.Cpus);
        StartInputPump();
    }

    /// <summary>What an idle CPU does when woken: take its interrupts, and in deterministic mode keep time moving.</summary>
    private void IdleWork(Cpu cpu)
    {
        Traps.HandleInterrupts(cpu);
        if (Ticks.AdvancesWhileIdle && Interleaver == null && cpu.Id == 0 && Scheduler.Cpus.All(c => c.Current == c.Idle))
            Clock.Tick();
    }

    private void StartInputPump()
    {
        if (_deterministicInput != null)
        {
            _deterministicInput.Start();
            return;
        }
        Stream? input = Options.ConsoleInput;
        if (input == null)
        {
            Uart.CloseInput();
            return;
        }
        _inputPump = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                int n;
                while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                    Uart.Deliver(buffer.AsSpan(0, n));
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            Uart.CloseInput();
        })
        {
            IsBackground = true,
            Name = "osprey-console-input",
        };
        _inputPump.Start();
    }

    /// <summary>^P: one line per process: pid, state (its threads' states by tid, when it has more than one), size in bytes, resident frames, name.</summary>
    private void DumpProcesses()
    {
        var text = new System.Text.StringBuilder("\npid state size resident name\n");
        foreach (Process p in Processes.Snapshot())
        {
            IReadOnlyList<UserThread> threads = p.Threads();
            string state = p.State == ProcessState.Zombie ? "zombie"
                : threads.Count == 1 ? State(threads[0])
                : string.Join(',', threads.Select(t => $"{t.Tid}:{State(t)}"));
            text.Append($"{p.Pid} {state} {p.Size} {p.PageTable?.Resident ?? 0} {p.Name}\n");
        }
        Console.Print(text.ToString());

        static string State(UserThread t) => t.Kernel?.State.ToString().ToLowerInvariant() ?? "embryo";
    }

    /// <summary>^L: the KU Leuven fork's [perf] lines, one per lock.</summary>
    private void DumpLocks() => Console.Print("\n" + LockReports.Perf(Locks));

    /// <summary>What --lockstat, --allocstats and --kkvstats ask to see once the machine has stopped.</summary>
    private void ReportAtHalt()
    {
        if (Options.LockStatAtHalt)
            Options.Diagnostics.Write(LockReports.LockStat(Locks));
        if (Options.AllocStatsAtHalt)
            Options.Diagnostics.Write(AllocReport.Describe(Frames, Slabs));
        if (Options.KkvStatsAtHalt)
            Options.Diagnostics.Write(_kkvAtShutDown ?? Kkv.Describe());
        Options.Diagnostics.Flush();
    }

    public void Dispose()
    {
        Halt();
        Tracer?.Dispose();
        Scheduler.AbandonAll();
        Ticks.Dispose();
        Disk?.Dispose();
        _halted.Dispose();
    }
}
