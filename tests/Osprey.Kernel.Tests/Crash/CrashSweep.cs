using Osprey.Fsck;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// One crash sweep: crashwork with some lists of operations on some CPUs, crashed after every
/// one of its disk writes in turn (see <see cref="CrashSweepTests"/> for what is checked).
/// Failures are collected rather than thrown, so that one run shows every bad crash point.
/// </summary>
internal sealed class CrashSweep
{
    private readonly int _cpus;
    private readonly CrashOp[][] _lists;
    private readonly string[] _argv;
    private readonly byte[] _pristine;
    private readonly CrashModels _models;
    private readonly string _image;

    public CrashSweep(int cpus, CrashOp[][] lists, string image)
    {
        _cpus = cpus;
        _lists = lists;
        _argv = Arguments(lists);
        _pristine = File.ReadAllBytes(DefaultImage.Path);
        _models = new CrashModels(FsTree.Read(_pristine), lists);
        _image = image;
    }

    public List<string> Failures { get; } = [];

    /// <summary>Crash points that stopped the disk, left a committed log, or had their recovery crashed too.</summary>
    public int Stopped { get; private set; }
    public int Replayed { get; private set; }
    public int RecoveriesCrashed { get; private set; }

    /// <summary>Runs the workload uncrashed, which must succeed; returns its disk writes, W.</summary>
    public long Uncrashed()
    {
        File.WriteAllBytes(_image, _pristine);
        CrashRun whole = CrashBoot.Run(_image, _cpus, null, _argv);
        if (whole.Status != 0 || !_models.IsComplete(Done(whole)))
            throw new InvalidOperationException($"the workload fails without a crash: {whole}");
        if (Recovered(File.ReadAllBytes(_image), _models.Candidates(_models.Lengths)) is { } problem)
            throw new InvalidOperationException($"the workload leaves a bad image without a crash: {problem}");
        return whole.Writes;
    }

    /// <summary>Crashes the workload after <paramref name="n"/> writes and checks the image as left and after a reboot.</summary>
    public void CrashAt(long n)
    {
        File.WriteAllBytes(_image, _pristine);
        CrashRun crashed = CrashBoot.Run(_image, _cpus, n, _argv);
        int[] done = Done(crashed);
        string point = $"N={n} (done {string.Join(",", done)})";
        // One process writes in one order; with several the count may vary, and a run that
        // writes less than N must simply finish.
        bool finished = !crashed.DiskStopped && crashed.Status == 0 && _models.IsComplete(done);
        if (crashed.Diagnostics.Contains("panic") || !(crashed.DiskStopped || (finished && _lists.Length > 1)))
        {
            Failures.Add($"{point}: the disk did not stop, or the kernel panicked: {crashed}");
            return;
        }
        Stopped += crashed.DiskStopped ? 1 : 0;

        byte[] left = File.ReadAllBytes(_image);
        FsckReport asLeft = FileSystemChecker.Check(left);
        if (!asLeft.Clean)
            Failures.Add($"{point}: fsck of the image as the crash left it: {string.Join("; ", asLeft.Problems)}");
        Replayed += asLeft.ReplayedLogBlocks > 0 ? 1 : 0;

        IReadOnlyList<FsTree> expected = _models.Candidates(done);
        CrashRun reboot = CrashBoot.Run(_image, _cpus, null, "exitcode", "0");
        if (Rebooted(reboot, expected) is { } problem)
            Failures.Add($"{point}: {problem}");
        if (reboot.Writes > 0)
            CrashRecovery(point, left, 1 + n % reboot.Writes, expected);
    }

    /// <summary>Boots the crashed image again, crashing its recovery after <paramref name="m"/> writes; then boots it once more.</summary>
    private void CrashRecovery(string point, byte[] left, long m, IReadOnlyList<FsTree> expected)
    {
        RecoveriesCrashed++;
        File.WriteAllBytes(_image, left);
        CrashRun halfRecovered = CrashBoot.Run(_image, _cpus, m, "exitcode", "0");
        string? problem = !halfRecovered.DiskStopped || halfRecovered.Diagnostics.Contains("panic")
            ? $"{halfRecovered}"
            : Rebooted(CrashBoot.Run(_image, _cpus, null, "exitcode", "0"), expected);
        if (problem != null)
            Failures.Add($"{point}, recovery crashed after {m} writes: {problem}");
    }

    /// <summary>Null if a boot after a crash went well and left the image recovered, else why not.</summary>
    private string? Rebooted(CrashRun reboot, IReadOnlyList<FsTree> expected)
    {
        if (reboot.Status != 0 || reboot.DiskStopped || reboot.Diagnostics.Contains("panic"))
            return $"the boot after the crash failed: {reboot}";
        return Recovered(File.ReadAllBytes(_image), expected);
    }

    /// <summary>Null if the image is clean (without warnings: the boot frees orphans) and its tree is one of <paramref name="expected"/>; else why not.</summary>
    private static string? Recovered(byte[] image, IReadOnlyList<FsTree> expected)
    {
        FsckReport report = FileSystemChecker.Check(image);
        if (!report.Clean || report.Warnings.Count > 0 || report.ReplayedLogBlocks > 0)
            return $"fsck after the reboot: {string.Join("; ", report.Lines("image"))}";
        FsTree actual = FsTree.Read(image);
        var differences = new List<string>();
        foreach (FsTree candidate in expected)
        {
            if (FsTree.Difference(candidate, actual) is not { } difference)
                return null;
            differences.Add(difference);
        }
        return $"the tree is none of the {expected.Count} expected: {string.Join(" | ", differences)}";
    }

    private int[] Done(CrashRun run) => CrashBoot.Progress(run.Output, _lists.Length);

    /// <summary>crashwork's command line: each operation one argument, "|" between lists.</summary>
    private static string[] Arguments(CrashOp[][] lists)
    {
        var args = new List<string> { "crashwork" };
        for (int i = 0; i < lists.Length; i++)
        {
            if (i > 0)
                args.Add("|");
            args.AddRange(lists[i].Select(o => o.Text));
        }
        return [.. args];
    }
}
