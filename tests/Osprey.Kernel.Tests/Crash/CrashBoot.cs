using System.Text.RegularExpressions;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// Boots a kernel in this process on a given image (which keeps its writes), runs one program,
/// optionally with the disk stopping after a number of writes, and reports what happened.
/// </summary>
internal static partial class CrashBoot
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static CrashRun Run(string image, int cpus, long? crashAfterWrites, params string[] argv)
    {
        var console = new SynchronizedStream();
        var diagnostics = new StringWriter();
        var kernel = new OspreyKernel(new KernelOptions
        {
            Cpus = cpus,
            MemoryBytes = 64 << 20,
            DiskImage = image,
            CrashAfterWrites = crashAfterWrites,
            ConsoleOutput = console,
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        using (kernel)
        {
            var run = Task.Run(() => kernel.Run(argv[0], argv));
            if (!run.Wait(Deadline))
            {
                kernel.Halt();
                throw new TimeoutException($"{string.Join(' ', argv)} did not finish within {Deadline.TotalSeconds} s; console so far:\n{console.Text}");
            }
            return new CrashRun(run.Result, kernel.DiskStopped, kernel.Disk!.Writes, console.Text, diagnostics.ToString());
        }
    }

    /// <summary>
    /// For each of <paramref name="lists"/> lists of operations, the K of its last "done K" line
    /// in <paramref name="output"/> (0 if none): "done K" for a single list, "L: done K" for
    /// list L of several.
    /// </summary>
    public static int[] Progress(string output, int lists)
    {
        var done = new int[lists];
        foreach (Match m in DoneLine().Matches(output))
        {
            int list = m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : 1;
            done[list - 1] = Math.Max(done[list - 1], int.Parse(m.Groups[2].Value));
        }
        return done;
    }

    [GeneratedRegex(@"^(?:(\d+): )?done (\d+)$", RegexOptions.Multiline)]
    private static partial Regex DoneLine();
}
