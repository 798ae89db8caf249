using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>The memory and lock switches of osprey run and boot, and their one-line errors.</summary>
public sealed class SwitchTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("boot")]
    public void HelpShowsTheSwitches(string command)
    {
        var (status, stdout, _) = OspreyProcess.Run([command, "--help"]);
        Assert.Equal(0, status);
        Assert.Contains("--allocator <NAME>", stdout);
        Assert.Contains("freelist, percpu, segtree, bitmap", stdout);
        foreach (string option in new[] { "--lockdep", "--lockstat", "--allocstats" })
            Assert.Contains(option, stdout);
    }

    [Theory]
    [InlineData("run --alocator percpu ls", "osprey: unknown option --alocator (see 'osprey run --help')\n")]
    [InlineData("run --allocator buddy ls", "osprey: --allocator must be one of freelist, percpu, segtree, bitmap, not buddy (see 'osprey --help')\n")]
    [InlineData("boot --allocator buddy", "osprey: --allocator must be one of freelist, percpu, segtree, bitmap, not buddy (see 'osprey --help')\n")]
    public void BadSwitchesGetOneLineAndStatusTwo(string args, string error)
    {
        var (status, stdout, stderr) = OspreyProcess.Run(args.Split(' '));
        Assert.Equal(2, status);
        Assert.Equal("", stdout);
        Assert.Equal(error, stderr);
    }

    [Fact]
    public void AfterADoubleDashAProgramNameMayStartWithADash()
    {
        var (status, _, stderr) = OspreyProcess.Run(["run", "--", "-x"]);
        Assert.Equal(127, status);
        Assert.Equal("osprey: -x: no such file on the disk\n", stderr);
    }

    [Fact]
    public void LockstatAndAllocstatsPrintAtHalt()
    {
        var (status, stdout, stderr) = OspreyProcess.Run(["run", "--cpus", "2", "--allocator", "percpu", "--lockdep", "--lockstat", "--allocstats", "hello"]);
        Assert.True(status == 0, stderr);
        Assert.StartsWith("hello, world\n", stdout);
        Assert.StartsWith("lock_stat version 0.4\n", stderr);
        Assert.Matches(@"(?m)^\s+kmem\.cpu:\s+\d+", stderr);
        Assert.Matches(@"(?m)^allocator percpu: 32767 frames, 32767 free; (\d+) allocations, \1 frees, 0 failed$", stderr);
        Assert.Matches(@"(?m)^  steals: \d+$", stderr);
        Assert.Contains("slabinfo - version: 2.1\n", stderr);
        Assert.Matches(@"(?m)^kmalloc-4096\s+0\s+0\s+4096\s+1\s+1 : tunables\s+2\s+1\s+0 : slabdata\s+0\s+0\s+0$", stderr);
    }
}
