using Osprey.Fsck;
using Osprey.Kernel.Fs;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// usertests, the whole-system suite (user/usertests.c), booted as one program. It checks its
/// own free-page count around the run; the host's frame count must agree, and the disk must
/// hold exactly what it held before. The full suite runs
/// on 1 CPU and on 3 (where the concurrency tests really race); it takes seconds, so both fit
/// CI comfortably. The quick subset runs on 3 CPUs, so that -q keeps working too, and with each
/// of the other frame allocators on 1 and 3 CPUs (<see cref="AllocatorSuiteTests"/>).
/// </summary>
public class UsertestsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FullSuitePasses(int cpus) => AssertPasses(KernelRun.Program(cpus, "usertests"));

    [Fact]
    public void QuickSuitePasses() => AssertPasses(KernelRun.Program(3, "usertests", "-q"));

    [Fact]
    public void NamedTestRunsAlone()
    {
        RunResult r = KernelRun.Program(1, "usertests", "createread");
        AssertPasses(r);
        Assert.Contains("test createread: OK", r.Output);
        Assert.DoesNotContain("test truncate", r.Output);
    }

    [Fact]
    public void UnknownTestNameIsAnError()
    {
        RunResult r = KernelRun.Program(1, "usertests", "no-such-test");
        Assert.Equal(2, r.Status);
        Assert.Contains("usertests: no test named no-such-test", r.Output);
        Assert.DoesNotContain("usertests starting", r.Output);
    }

    internal static void AssertPasses(RunResult r)
    {
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("ALL TESTS PASSED", r.Output);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.Matches(@"usertests: \d+ free pages before and after", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
        // Every test removes what it made (concnames' race included), and the run halts
        // cleanly, so fsck (which KernelRun ran) must count exactly the image as it was built,
        // but for directories: one that had entries made in it may have grown a block, which
        // xv6 never gives back (the root, with a program more, once crossed a block boundary).
        FsckReport original = FileSystemChecker.Check(File.ReadAllBytes(DefaultImage.Path));
        Assert.Equal(FileSystemState.Clean, r.Fsck!.State);
        Assert.Equal(original.InodesUsed, r.Fsck.InodesUsed);
        Assert.Equal(original.BlocksUsed - original.DirectoryBlocks, r.Fsck.BlocksUsed - r.Fsck.DirectoryBlocks);
    }
}
