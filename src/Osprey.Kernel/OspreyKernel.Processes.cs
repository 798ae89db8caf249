using Osprey.Kernel.Exec;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;

namespace Osprey.Kernel;

// Booting: pid 1 (init, or the reaper of osprey run) and the first program. The life of a
// task after that (fork, exit, wait, reaping) is in Proc/Lifecycle.cs.
public sealed partial class OspreyKernel
{
    /// <summary>
    /// Boots, runs one program as the child of a kernel reaper process (pid 1, which collects
    /// orphans as init would), and halts when that program exits. Returns its exit status, or
    /// 127 if it could not be started.
    /// </summary>
    public int Run(IExecutableFile program, string name, IReadOnlyList<string> argv) =>
        Boot(reaper => StartProgram(reaper, program, name, argv));

    /// <summary>As <see cref="Run(IExecutableFile, string, IReadOnlyList{string})"/>, for a program on the disk, found from the root.</summary>
    public int Run(string path, IReadOnlyList<string> argv) =>
        Boot(reaper => StartProgramFromDisk(reaper, path, argv));

    /// <summary>
    /// Boots as xv6 does: pid 1 runs /init from the disk (which opens the console itself) and
    /// the machine runs until something calls halt. Returns 0, or 134 after a panic.
    /// </summary>
    public int BootInit()
    {
        if (FileSystem == null)
            throw new InvalidOperationException("booting needs a disk with /init on it");
        StartMachine();
        int pid = Scheduler.NewThreadId();
        Scheduler.Submit(Scheduler.CreateThread("init", () =>
        {
            Process init = Processes.Allocate("init", parent: null, pid) ?? throw Panic.Now("no slot for pid 1");
            UserThread thread = Lifecycle.AdoptCurrent(init);
            FreeOrphanedInodes();
            init.Cwd = FileSystem.Root();
            Inode? ip = FileSystem.Paths.Namei("/init"u8, null);
            long argc = -1;
            if (ip != null)
            {
                FileSystem.Inodes.Lock(ip);
                argc = ip.Type == InodeType.File ? Loader.Exec(init, thread.TrapFrame, new InodeExecutable(FileSystem.Inodes, ip), "init", ["init"u8.ToArray()]) : -1;
                FileSystem.Inodes.UnlockPut(ip);
            }
            if (argc < 0)
                throw Panic.Now("init: cannot run /init from the disk");
            thread.TrapFrame[TrapFrame.A0] = (ulong)argc;
            Traps.UserLoop(thread);
        }, pid));
        _halted.Wait();
        return PanicReason != null ? 134 : StopReason != null ? StoppedStatus : 0;
    }

    /// <summary>The file system's boot-time repair, run by the first kernel thread (it needs a CPU to sleep on buffers).</summary>
    private void FreeOrphanedInodes()
    {
        if (FileSystem == null || !FileSystem.Disk.Writable)
            return;
        int freed = FileSystem.FreeOrphans();
        if (freed > 0)
            Options.Diagnostics.WriteLine($"osprey: freed {freed} orphaned inode{(freed == 1 ? "" : "s")} (unlinked while open when the machine stopped)");
    }

    private int Boot(Func<Process, Process?> start)
    {
        StartMachine();
        int pid = Scheduler.NewThreadId();
        Scheduler.Submit(Scheduler.CreateThread("reaper", () =>
        {
            Process reaper = Processes.Allocate("reaper", parent: null, pid) ?? throw Panic.Now("no slot for pid 1");
            Lifecycle.AdoptCurrent(reaper);
            FreeOrphanedInodes();
            Reap(reaper, start);
        }, pid));
        _halted.Wait();
        if (PanicReason != null)
            return 134;
        if (StopReason != null)
            return StoppedStatus;
        return ProgramStatus ?? 0;
    }

    /// <summary>The reaper: starts the program, then collects every child until the program itself exits.</summary>
    private void Reap(Process reaper, Func<Process, Process?> start)
    {
        Process? target = start(reaper);
        if (target == null)
        {
            ProgramStatus = 127;
            Halt();
            return;
        }
        while (!Scheduler.Halted)
        {
            int pid = Processes.Wait(reaper, null, out int status);
            if (pid == target.Pid)
            {
                ProgramStatus = status;
                ShutDown(reaper);
                return;
            }
            if (pid < 0)
                return;
        }
    }

    /// <summary>
    /// The program has exited: kill whatever it left running, collect everything (all of it is
    /// the reaper's by now or will be as it exits), then halt. Every frame is free again after
    /// this, which is what the leak checks compare against.
    /// </summary>
    private void ShutDown(Process reaper)
    {
        foreach (Process p in Processes.Snapshot())
        {
            if (p != reaper && p.State == ProcessState.Alive)
                Processes.Kill(p.Pid);
        }
        while (Processes.Wait(reaper, null, out _) >= 0)
        {
        }
        Vm.CheckNothingMapped();
        Halt();
    }

    private Process? StartProgram(Process parent, IExecutableFile program, string name, IReadOnlyList<string> argv)
    {
        UserThread? first = Lifecycle.Spawn(name, parent);
        if (first == null)
            return null;
        Process p = first.Task;
        byte[][] args = argv.Select(a => System.Text.Encoding.UTF8.GetBytes(a)).ToArray();
        if (Loader.Exec(p, first.TrapFrame, program, name, args) < 0)
        {
            Options.Diagnostics.WriteLine($"osprey: cannot run {name}: not a RISC-V executable it can load");
            Lifecycle.Discard(first);
            return null;
        }
        first.TrapFrame[TrapFrame.A0] = (ulong)args.Length;
        OpenStandardFiles(p);
        Lifecycle.Start(first, creator: null);
        return p;
    }

    private Process? StartProgramFromDisk(Process reaper, string path, IReadOnlyList<string> argv)
    {
        if (FileSystem == null)
        {
            Options.Diagnostics.WriteLine("osprey: no disk to run programs from");
            return null;
        }
        // The program is named from the root, as a shell with cwd / would find it.
        Inode? ip = FileSystem.Paths.Namei(System.Text.Encoding.UTF8.GetBytes(path.StartsWith('/') ? path : "/" + path), null);
        if (ip == null)
        {
            Options.Diagnostics.WriteLine($"osprey: {path}: no such file on the disk");
            return null;
        }
        FileSystem.Inodes.Lock(ip);
        Process? p = ip.Type == InodeType.File
            ? StartProgram(reaper, new InodeExecutable(FileSystem.Inodes, ip), Path.GetFileName(path.TrimEnd('/')), argv)
            : null;
        if (ip.Type != InodeType.File)
            Options.Diagnostics.WriteLine($"osprey: {path}: not a file");
        FileSystem.Inodes.UnlockPut(ip);
        return p;
    }
}
