using System.Diagnostics;
using Xunit.Abstractions;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// The crash sweep. The workload runs once without a crash to count its disk writes W; then,
/// for every N in 1..W, it runs again on a fresh image whose disk stops after N writes (a power
/// cut), and the image is checked:
///   - by fsck as the crash left it (fsck replays a committed log itself; orphans allowed);
///   - after booting it again (the kernel replays the log and frees orphans): fsck must find
///     it clean, and the tree must be as after the K operations the program reported done,
///     or after K+1 (the next may have committed before its "done" could be printed);
///   - and when that reboot wrote anything, the reboot is crashed too, part way, and the
///     image booted once more: recovery must survive a crash of its own.
/// In-process kernels with 64 MiB each keep a crash point to a few tens of milliseconds.
/// </summary>
public sealed class CrashSweepTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryCrashPointRecoversOnOneCpu() => Sweep(1, CrashWorkloads.Full);

    [Fact]
    public void EveryCrashPointRecoversWithTwoProcessesOnThreeCpus() => Sweep(3, CrashWorkloads.TwoAtOnce);

    private void Sweep(int cpus, CrashOp[][] lists)
    {
        var clock = Stopwatch.StartNew();
        using var image = new TemporaryFile();
        var sweep = new CrashSweep(cpus, lists, image.Path);
        long writes = sweep.Uncrashed();
        for (long n = 1; n <= writes; n++)
            sweep.CrashAt(n);

        output.WriteLine($"{cpus} cpu(s), {lists.Sum(l => l.Length)} operations in {lists.Length} list(s): {writes} disk writes, "
            + $"{writes} crash points ({sweep.Stopped} stopped the disk, {sweep.Replayed} left a committed log, "
            + $"{sweep.RecoveriesCrashed} recoveries crashed and rebooted); {clock.Elapsed.TotalSeconds:F1} s");
        int failed = sweep.Failures.Select(f => f[..f.IndexOf(' ')]).Distinct().Count();
        Assert.True(sweep.Failures.Count == 0, $"{failed} of {writes} crash points failed:\n{string.Join("\n", sweep.Failures.Take(10))}");
        Assert.True(sweep.Replayed > 0, "no crash point left a committed transaction in the log: the sweep did not test recovery");
    }
}
