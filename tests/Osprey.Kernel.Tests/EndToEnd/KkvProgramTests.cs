using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The kernel key-value store end to end: kkvtest's W4118 scenarios on 1 and 3 CPUs, with per-bucket
/// locks and with the global lock, each ending with every frame free (the store's entries and values
/// are in guest memory, and the program destroys the store at the end of each scenario). Through
/// the osprey command: the switches and --kkvstats.
/// </summary>
public class KkvProgramTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void KkvtestPassesWithNothingLeaked(int cpus, bool globalLock)
    {
        // A table of 80 leaves room for all 64 hot-potato players.
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, MaxProcesses = 80, KkvGlobalLock = globalLock }, null, "kkvtest");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("kkvtest: 64 players", r.Output);
        Assert.Contains("kkvtest: ok", r.Output);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void KkvstatsShowsTheStoreAndItsLocksAtHalt()
    {
        var (status, stdout, stderr) = OspreyProcess.Run(["run", "--cpus", "2", "--kkvstats", "kkvtest", "sequential"]);
        Assert.True(status == 0, stdout + stderr);
        Assert.Contains("kkv: not initialized, a lock per bucket\n", stderr);
        Assert.Contains("kkv: 0 pairs, 0 placeholders, 0 waiting getters\n", stderr);
        Assert.Contains("kkv: bucket lengths 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", stderr);
        Assert.Matches(@"kkv: locks kkv\.bucket: [1-9]\d* acquisitions", stderr);

        (status, _, stderr) = OspreyProcess.Run(["run", "--kkv-global-lock", "--kkvstats", "kkvtest", "sequential"]);
        Assert.Equal(0, status);
        Assert.Contains("kkv: not initialized, one global lock\n", stderr);
        Assert.Matches(@"kkv: lock kkv\.global: [1-9]\d* acquisitions", stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("boot")]
    public void TheSwitchesAreInTheHelp(string command)
    {
        var (status, stdout, _) = OspreyProcess.Run([command, "--help"]);
        Assert.Equal(0, status);
        Assert.Contains("--kkv-global-lock", stdout);
        Assert.Contains("--kkvstats", stdout);
    }
}
