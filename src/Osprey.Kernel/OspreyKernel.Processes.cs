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
        int pid = _initPid;
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
        ReportAtHalt();
        return PanicReason != null ? 134 : 0;
    }

    /// <summary>The file system's boot-time repair, run by the first kernel thread (it needs a CPU to sleep on buffers).</summary>
    private void FreeOrphanedInodes()
    {
        if (FileSystem == null || !FileSystem.Disk.Writable)
            return;
        int freed = FileSystem.FreeOrphans();
        if (freed == 0)
            return;
        string inodes = $"{freed} {(freed == 1 ? "inode" : "inodes")}";
        Options.Diagnostics.WriteLine(FileSystem.StateAtMount == FileSystemState.Clean
            ? $"osprey: freed {inodes} leaked by a kernel bug (unnamed with link count 0 on a disk shut down cleanly)"
            : $"osprey: freed {inodes} orphaned (unlinked while open when the machine stopped)");
    }

    private int Boot(Func<Process, Process?> start)
    {
        StartMachine();
        int pid = _initPid;
        Scheduler.Submit(Scheduler.CreateThread("reaper", () =>
        {
            Process reaper = Processes.Allocate("reaper", parent: null, pid) ?? throw Panic.Now("no slot for pid 1");
            Lifecycle.AdoptCurrent(reaper);
            FreeOrphanedInodes();
            Reap(reaper, start);
        }, pid));
        _halted.Wait();
        ReportAtHalt();
        if (PanicReason != null)
            return 134;
        return ProgramStatus ?? 0;
    }

    /// <summary>
    /// The reaper: starts the program, then collects every child until the program itself
    /// exits, and ends the run with its status. Nothing a user program does can stop that: pid
    /// 1 cannot be killed (<see cref="ProcessTable.MayBeEnded"/>), and the reaper's waits are
    /// not interruptible anyway, so a kill that reached it would change nothing either.
    /// </summary>
    private void Reap(Process reaper, Func<Process, Process?> start)
    {
        Process? target = start(reaper);
        if (target == null)
        {
            ProgramStatus = 127;
            HaltCleanly();
            return;
        }
        while (!Scheduler.Halted)
        {
            int pid = Processes.Wait(reaper, null, out int status, interruptible: false);
            if (pid == target.Pid || pid < 0)
            {
                // No children at all while the program is uncollected cannot happen (it is the
                // reaper's child until collected); should it, the run still ends.
                ProgramStatus = pid == target.Pid ? status : -1;
                ShutDown(reaper);
                return;
            }
        }
    }

    /// <summary>
    /// The program has exited: kill whatever it left running, collect everything (all of it is
    /// the reaper's by now or will be as it exits), then halt, recording a clean shutdown on the
    /// disk. Every frame is free again after this, which is what the leak checks compare against,
    /// and every file is closed, so an unnamed inode left allocated on the disk is a leak.
    /// </summary>
    private void ShutDown(Process reaper)
    {
        foreach (Process p in Processes.Snapshot())
        {
            if (p != reaper && p.State == ProcessState.Alive)
                Processes.Kill(p.Pid);
        }
        while (Processes.Wait(reaper, null, out _, interruptible: false) >= 0)
        {
        }
        Vm.CheckNothingMapped();
        HaltCleanly();
    }

    private Process? StartProgram(Process parent, IExecutableFile program, string name, IReadOnlyList<string> argv) =>
        LoadProgram(parent, program, name, argv) is { } first ? Launch(first) : null;

    /// <summary>A new process with the program loaded, not yet running (its first thread); null if it could not be loaded.</summary>
    private UserThread? LoadProgram(Process parent, IExecutableFile program, string name, IReadOnlyList<string> argv)
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
        return first;
    }

    /// <summary>Gives a loaded process the console and the root, and starts its first thread.</summary>
    private Process Launch(UserThread first)
    {
        Process p = first.Task;
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
        // The program's inode is locked only while it is loaded: opening the console then looks
        // up /console, and holding one inode while locking another (the root) outside the
        // parent-then-child order could deadlock against a create in the root (lockdep says so).
        FileSystem.Inodes.Lock(ip);
        UserThread? first = ip.Type == InodeType.File
            ? LoadProgram(reaper, new InodeExecutable(FileSystem.Inodes, ip), Path.GetFileName(path.TrimEnd('/')), argv)
            : null;
        if (ip.Type != InodeType.File)
            Options.Diagnostics.WriteLine($"osprey: {path}: not a file");
        FileSystem.Inodes.UnlockPut(ip);
        return first == null ? null : Launch(first);
    }
}
