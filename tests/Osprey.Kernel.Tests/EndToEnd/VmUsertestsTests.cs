namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// usertests' quick subset under --no-cow and under --lazy-sbrk, on 1 and 3 CPUs; the default
/// (copy-on-write, promised sbrk) runs the full suite in UsertestsTests. A class of its own so
/// that xunit runs it beside VmTests.
/// </summary>
public class VmUsertestsTests
{
    /// <summary>usertests with the other two ways of handling memory (the default is UsertestsTests').</summary>
    [Theory]
    [InlineData(1, true, false)]
    [InlineData(3, true, false)]
    [InlineData(1, false, true)]
    [InlineData(3, false, true)]
    public void UsertestsPassWithEitherSwitch(int cpus, bool noCow, bool lazySbrk)
    {
        RunResult r = VmTests.Run(cpus, "usertests", noCow, lazySbrk, "-q");
        VmTests.AssertClean(r);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.Matches(@"usertests: \d+ free pages before and after", r.Output);
        Assert.Contains("ALL TESTS PASSED", r.Output);
    }
}
