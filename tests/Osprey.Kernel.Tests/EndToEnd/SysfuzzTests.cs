using System.Text.RegularExpressions;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// user/sysfuzz, bounded: a few fixed seeds on 1 and 3 CPUs. Every call the kernel was given
/// must have been answered as documented: no SUSPECT line (a bad pointer accepted, a number
/// outside the table not returning -1, the canary written, a worker killed), no panic or host
/// exception, no frame leaked, and fsck clean afterwards (checked by <see cref="KernelRun"/>).
/// Every call in the table but halt must have been made, and one seed must make the same calls
/// whatever the CPU count. The long soak is scripts/sysfuzz-soak.
/// </summary>
public partial class SysfuzzTests
{
    private const string Calls = "3000";

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    public void ABoundedRunFindsNothingSuspect(int cpus, int seed)
    {
        RunResult r = KernelRun.Program(cpus, "sysfuzz", seed.ToString(), Calls);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("sysfuzz: 0 SUSPECT", r.Output);
        Assert.Contains("\nsysfuzz: ok\n", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.DoesNotContain("Exception", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
        Match coverage = Coverage().Match(r.Output);
        Assert.True(coverage.Success, r.Output);
        Assert.Equal(int.Parse(coverage.Groups[2].Value), int.Parse(coverage.Groups[1].Value) + int.Parse(coverage.Groups[3].Value));
    }

    [Fact]
    public void OneSeedMakesTheSameCallsOnAnyNumberOfCpus()
    {
        string one = Sequence().Match(KernelRun.Program(1, "sysfuzz", "4", "600").Output).Value;
        string three = Sequence().Match(KernelRun.Program(3, "sysfuzz", "4", "600").Output).Value;
        Assert.StartsWith("sysfuzz: seed 4, calls 0..599, sequence ", one);
        Assert.Equal(one, three);
    }

    [GeneratedRegex(@"(\d+) of (\d+) calls in the table made \((\d+) never")]
    private static partial Regex Coverage();

    [GeneratedRegex(@"sysfuzz: seed \d+, calls \d+\.\.\d+, sequence [0-9a-f]+")]
    private static partial Regex Sequence();
}
