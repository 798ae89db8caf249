using System.Text.RegularExpressions;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// Virtual memory end to end: copy-on-write fork, zero fill, --lazy-sbrk, running out of
/// memory, fault injection into fork and exec, and the figures (vmstat, ^P). Every run must
/// end with every frame free again; the kernel itself also panics at the end of a run if any
/// frame is still referenced or reserved, or the zero frame still mapped (VirtualMemory.
/// CheckNothingMapped), so a status of 0 means the reference counts all came back to zero.
/// </summary>
public class VmTests
{
    internal static RunResult Run(int cpus, string program, bool noCow = false, bool lazySbrk = false, params string[] args) =>
        KernelRun.Program(new KernelOptions { Cpus = cpus, NoCow = noCow, LazySbrk = lazySbrk }, null, program, args);

    internal static void AssertClean(RunResult r, int status = 0)
    {
        Assert.True(r.Status == status, r.ToString());
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CowtestPasses(int cpus)
    {
        RunResult r = Run(cpus, "cowtest");
        AssertClean(r);
        Assert.Contains("simple: ok\n", r.Output);
        Assert.Contains("three: round 3 ok\n", r.Output);
        Assert.Contains("file: ok\n", r.Output);
        Assert.EndsWith("ALL COW TESTS PASSED\n", r.Output);
    }

    /// <summary>Two thirds of memory forked fits only because of copy-on-write.</summary>
    [Fact]
    public void CowtestNeedsCopyOnWrite()
    {
        RunResult r = Run(1, "cowtest", noCow: true);
        AssertClean(r, status: 1);
        Assert.Contains("FAIL: cowtest: simple round 1: fork failed", r.Output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LazyEdgeCasesPass(int cpus)
    {
        RunResult r = Run(cpus, "lazytest", lazySbrk: true);
        AssertClean(r);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.Matches(@"pid \d+ lazytest: out of memory \(store page fault at pc=0x[0-9a-f]+ addr=0x[0-9a-f]+\); killed\n", r.Output);
        Assert.EndsWith("lazytest: ok\n", r.Output);
    }

    [Fact]
    public void LazytestNeedsLazySbrk()
    {
        RunResult r = Run(1, "lazytest");
        AssertClean(r, status: 2);
        Assert.Contains("lazytest: the kernel was not booted with --lazy-sbrk", r.Output);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    public void ForkAndExecUndoEveryFailure(int cpus, bool noCow)
    {
        RunResult r = Run(cpus, "vmfail", noCow);
        AssertClean(r);
        Assert.Matches(@"vmfail: fork: each of its \d+ frame requests failed in turn, and undone\n", r.Output);
        Assert.Matches(@"vmfail: exec: each of its \d+ frame requests failed in turn, and the old image kept\n", r.Output);
        Assert.EndsWith("vmfail: ok\n", r.Output);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(3, false, false)]
    [InlineData(3, true, false)]
    [InlineData(3, false, true)]
    public void TheKernelSurvivesForkBombsAndExhaustion(int cpus, bool noCow, bool lazySbrk)
    {
        RunResult r = Run(cpus, "membomb", noCow, lazySbrk);
        AssertClean(r);
        Assert.Contains("membomb: bomb: the process table filled and emptied\n", r.Output);
        Assert.Contains("membomb: hogs: 4 at once ran out of memory cleanly\n", r.Output);
        Assert.Matches(lazySbrk ? "membomb: promises: not under --lazy-sbrk" : @"membomb: promises: kept, with [1-6] of 6 pipes and [1-6] of 6 forks refused\n", r.Output);
        Assert.Contains(noCow ? "membomb: cow: under --no-cow, fork of three fifths of memory failed cleanly\n"
            : "membomb: cow: 3 hogs killed for want of memory, the bystander unharmed\n", r.Output);
        Assert.Contains("membomb: the next program runs\n", r.Output);
        Assert.EndsWith("membomb: ok\n", r.Output);
    }

    [Theory]
    [InlineData(false, false, "fork: copy-on-write; sbrk: promises its pages at once")]
    [InlineData(true, true, "fork: copies every page (--no-cow); sbrk: lazy (--lazy-sbrk)")]
    public void VmstatPrintsTheFigures(bool noCow, bool lazySbrk, string mode)
    {
        RunResult r = Run(1, "vmstat", noCow, lazySbrk);
        AssertClean(r);
        Assert.StartsWith(mode + "\n", r.Output);
        Assert.Matches(@"\n +16383 frames managed\n", r.Output); // 64 MiB less the zero frame
        Assert.Matches(@"\n +\d+ copy-on-write faults that copied\n", r.Output);
        Assert.Matches(@"\n +0 faults that killed\n", r.Output);
    }

    /// <summary>^P, once the shell has read what came before it, lists init and sh with their sizes and resident frames.</summary>
    [Fact]
    public void CtrlPShowsSizeAndResidentFrames()
    {
        // More than the console's 128-byte buffer ahead of ^P, so it is seen only after sh has read some.
        string script = string.Concat(Enumerable.Repeat("echo one\n", 20)) + "\x10" + "echo done\n";
        RunResult r = KernelRun.Boot(1, script);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("\npid state size resident name\n", r.Output);
        Assert.Matches(new Regex(@"^1 \w+ [1-9]\d* [1-9]\d* init$", RegexOptions.Multiline), r.Output);
        Assert.Matches(new Regex(@"^\d+ \w+ [1-9]\d* [1-9]\d* sh$", RegexOptions.Multiline), r.Output);
    }
}
