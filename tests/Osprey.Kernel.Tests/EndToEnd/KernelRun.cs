using System.Text;
using Osprey.Fsck;
using Osprey.Kernel;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// Boots a kernel in this process on a private copy of the default disk image (build/fs.img,
/// made by the build from user/), runs one program with the console captured, and returns
/// what happened. A run that does not finish within a generous deadline is halted and fails
/// the test with the console output so far.
/// </summary>
public static class KernelRun
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static RunResult Program(int cpus, string program, params string[] args) => ProgramWithInput(cpus, null, program, args);

    public static RunResult ProgramWithInput(int cpus, string? input, string program, params string[] args) =>
        Program(new KernelOptions { Cpus = cpus }, input, program, args);

    public static RunResult Program(KernelOptions options, string? input, string program, params string[] args)
    {
        using TemporaryFile image = CopyOfDefaultImage();
        return Execute(options with { DiskImage = image.Path }, input, program, kernel => kernel.Run(program, [program, .. args]));
    }

    /// <summary>
    /// Boots as <c>osprey boot</c> does (pid 1 runs /init from the disk) with
    /// <paramref name="script"/> as the console's input. Unless the options say the console is a
    /// terminal, init halts once the shell reaches the end of the script. Returns the transcript and the boot's status (0 after halt,
    /// 134 after a panic). The frame counts are reported but not comparable: init and whatever
    /// else was running still hold memory when the machine halts.
    /// </summary>
    public static RunResult Boot(int cpus, string script) => Boot(new KernelOptions { Cpus = cpus }, script);

    public static RunResult Boot(KernelOptions options, string script)
    {
        using TemporaryFile image = CopyOfDefaultImage();
        return Execute(options with { DiskImage = image.Path }, script, "the boot", kernel => kernel.BootInit());
    }

    /// <summary>
    /// The common part: builds a 64 MiB kernel from <paramref name="options"/> (which name the
    /// disk), with lockdep on (a lock-order inversion anywhere panics the run), the console captured and <paramref name="input"/> as its input, runs
    /// <paramref name="body"/> within the deadline, and lets <paramref name="inspect"/> look at
    /// the halted kernel before it is disposed. <paramref name="what"/> names the run in a timeout.
    /// Then the disk, if the kernel wrote it, is checked as <c>osprey fsck</c> checks it: any
    /// problem fails the test, and after a clean halt (the end of a run, the halt call) that
    /// includes a leaked inode. The report comes back in the result.
    /// </summary>
    public static RunResult Execute(KernelOptions options, string? input, string what, Func<OspreyKernel, int> body, Action<OspreyKernel>? inspect = null)
    {
        var console = new SynchronizedStream();
        var diagnostics = new StringWriter();
        var kernel = new OspreyKernel(options with
        {
            MemoryBytes = 64 << 20,
            Lockdep = true,
            ConsoleOutput = console,
            ConsoleInput = input == null ? null : new MemoryStream(Encoding.UTF8.GetBytes(input)),
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        RunResult result;
        long writes;
        using (kernel)
        {
            long before = kernel.Frames.FreeFrames;
            var run = Task.Run(() => body(kernel));
            if (!run.Wait(Deadline))
            {
                kernel.Halt();
                throw new TimeoutException($"{what} did not finish within {Deadline.TotalSeconds} s; console so far:\n{console.Text}");
            }
            inspect?.Invoke(kernel);
            writes = kernel.Disk?.Writes ?? 0;
            result = new RunResult(run.Result, console.Text, diagnostics.ToString(), before, kernel.Frames.FreeFrames);
        }
        if (options.DiskImage is not { } image || writes == 0)
            return result;
        FsckReport report = FileSystemChecker.Check(File.ReadAllBytes(image));
        if (!report.Clean)
            throw new InvalidDataException($"fsck after {what}:\n{string.Join("\n", report.Lines(image))}\n{result}");
        return result with { Fsck = report };
    }

    public static TemporaryFile CopyOfDefaultImage() => DefaultImage.Copy()
        ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing: the build makes it from user/ (the cross compiler must be installed)");
}
