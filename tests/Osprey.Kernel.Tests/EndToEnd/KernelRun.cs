using System.Text;
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
        using TemporaryFile image = DefaultImage.Copy()
            ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing: the build makes it from user/ (the cross compiler must be installed)");
        var console = new SynchronizedStream();
        var diagnostics = new StringWriter();
        var kernel = new OspreyKernel(options with
        {
            MemoryBytes = 64 << 20,
            DiskImage = image.Path,
            ConsoleOutput = console,
            ConsoleInput = input == null ? null : new MemoryStream(Encoding.UTF8.GetBytes(input)),
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        using (kernel)
        {
            long before = kernel.Frames.FreeFrames;
            var run = Task.Run(() => kernel.Run(program, [program, .. args]));
            if (!run.Wait(Deadline))
            {
                kernel.Halt();
                throw new TimeoutException($"{program} did not finish within {Deadline.TotalSeconds} s; console so far:\n{console.Text}");
            }
            return new RunResult(run.Result, console.Text, diagnostics.ToString(), before, kernel.Frames.FreeFrames);
        }
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
        using TemporaryFile image = DefaultImage.Copy()
            ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing: the build makes it from user/ (the cross compiler must be installed)");
        var console = new SynchronizedStream();
        var diagnostics = new StringWriter();
        var kernel = new OspreyKernel(options with
        {
            MemoryBytes = 64 << 20,
            DiskImage = image.Path,
            ConsoleOutput = console,
            ConsoleInput = new MemoryStream(Encoding.UTF8.GetBytes(script)),
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        using (kernel)
        {
            long before = kernel.Frames.FreeFrames;
            var boot = Task.Run(() => kernel.BootInit());
            if (!boot.Wait(Deadline))
            {
                kernel.Halt();
                throw new TimeoutException($"the boot did not halt within {Deadline.TotalSeconds} s; console so far:\n{console.Text}");
            }
            return new RunResult(boot.Result, console.Text, diagnostics.ToString(), before, kernel.Frames.FreeFrames);
        }
    }
}
