using System.Text.Json;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>The observers on the command line: osprey run with --strace, --trace and --gdb, and their bad input.</summary>
public class ObserverCommandTests
{
    [Fact]
    public void StraceTakesPidsButNotTheProgramName()
    {
        var all = OspreyProcess.Run(["run", "--cpus", "1", "--strace", "hello", "x"]);
        Assert.Equal(0, all.Status);
        Assert.Contains("[pid 2] write(1, \"argv[1] = x\\n\", 12) = 12", all.Stderr);
        var none = OspreyProcess.Run(["run", "--cpus", "1", "--strace", "9", "5", "hello"]);
        Assert.Equal(0, none.Status);
        Assert.DoesNotContain("[pid", none.Stderr);
        Assert.Contains("hello, world", none.Stdout);
    }

    [Fact]
    public void TraceWritesAFileThePerfettoFormatReads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"osprey-trace-{Guid.NewGuid():N}.json");
        try
        {
            var r = OspreyProcess.Run(["run", "--cpus", "2", "--trace", path, "hello"]);
            Assert.Equal(0, r.Status);
            using JsonDocument trace = JsonDocument.Parse(File.ReadAllBytes(path));
            Assert.Empty(TraceValidator.Check(trace));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--trace", "/nonexistent-dir/x.json", "osprey: --trace /nonexistent-dir/x.json: ")]
    [InlineData("--gdb", "70000", "--gdb must be a TCP port")]
    [InlineData("--gdb-wait", null, "--gdb-wait needs --gdb PORT")]
    [InlineData("--strace", "0", "--strace: 0 is not a pid")]
    public void BadInputGetsOneLineAndStatus2(string option, string? value, string message)
    {
        var r = OspreyProcess.Run(value == null ? ["run", option, "hello"] : ["run", option, value, "hello"]);
        Assert.Equal(2, r.Status);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
