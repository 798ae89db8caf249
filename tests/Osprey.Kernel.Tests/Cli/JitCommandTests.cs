using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>The JIT switches from the command line: --jit on every command that runs guest code, and emulate's --jit-dump.</summary>
public sealed class JitCommandTests
{
    // build/fs.img's directory is build/, where the Linux flavour of the user programs lives too.
    private static string Program(string name) =>
        Path.Combine(Path.GetDirectoryName(DefaultImage.Path)!, "user", "linux", name);

    [Fact]
    public void JitDumpShowsEachBlocksGuestInstructionsOverItsIl()
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["emulate", "--abi", "linux", "--jit", "forced", "--jit-dump", "--stats", Program("fib")]);
        Assert.True(status == 0, stderr);
        Assert.Contains("fib(", stdout);
        Assert.Matches(@"jit: block at pc 0x[0-9a-f]+ \(frame \d+, offset 0x[0-9a-f]+\): \d+ instructions in \d+ basic blocks", stderr);
        Assert.Matches(@"(?m)^  [0-9a-f]{8}:  (addi|c\.addi|sd|c\.sdsp)\t", stderr);   // a disassembled guest instruction...
        Assert.Matches(@"(?m)^          (ldloc|stloc) x\d+$", stderr);                  // ...over the IL it became
        Assert.Matches(@"jit: blocks=[1-9]\d* .*compile_ms=", stderr);
    }

    [Theory]
    [InlineData("emulate")]
    [InlineData("run")]
    [InlineData("boot")]
    public void ABadJitModeGetsOneLine(string command)
    {
        string[] rest = command == "boot" ? [] : [command == "emulate" ? Program("hello") : "hello"];
        (int status, _, string stderr) = OspreyProcess.Run([command, "--jit", "fast", .. rest]);
        Assert.Equal(2, status);
        Assert.Contains("fast", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("forced")]
    public void RunTakesEitherTier(string mode)
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["run", "--cpus", "1", "--jit", mode, "fib"]);
        Assert.True(status == 0, stderr);
        Assert.Contains("fib(", stdout);
    }
}
