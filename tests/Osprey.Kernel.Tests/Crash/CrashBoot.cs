using System.Text.RegularExpressions;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// Boots a kernel in this process on a given image (which keeps its writes), runs one program,
/// optionally with the disk stopping after a number of writes, and reports what happened.
/// </summary>
internal static partial class CrashBoot
{
    public static CrashRun Run(string image, int cpus, long? crashAfterWrites, params string[] argv)
    {
        bool stopped = false;
        long writes = 0;
        RunResult r = KernelRun.Execute(
            new KernelOptions { Cpus = cpus, DiskImage = image, CrashAfterWrites = crashAfterWrites },
            null,
            string.Join(' ', argv),
            kernel => kernel.Run(argv[0], argv),
            kernel => (stopped, writes) = (kernel.DiskStopped, kernel.Disk!.Writes));
        return new CrashRun(r.Status, stopped, writes, r.Output, r.Diagnostics);
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
