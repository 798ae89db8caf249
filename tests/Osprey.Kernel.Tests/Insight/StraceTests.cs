using Osprey.Kernel.Insight;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>--strace: a known program's calls, line for line, and the formatting rules strace follows.</summary>
public class StraceTests
{
    private static readonly string[] StracedemoLines =
    [
        "[pid 2] open(\"README\", O_RDONLY) = 3",
        "[pid 2] read(3, \"Osprey\", 6) = 6",
        "[pid 2] close(3) = 0",
        "[pid 2] open(\"nosuch\", O_RDONLY) = -1",
        "[pid 2] open(\"strace.tmp\", O_WRONLY|O_CREATE|O_TRUNC) = 3",
        "[pid 2] write(3, \"a\\tb\\\"\\\\\\1\\n\", 7) = 7",
        "[pid 2] close(3) = 0",
        "[pid 2] unlink(\"strace.tmp\") = 0",
        "[pid 2] pipe([3, 4]) = 0",
        "[pid 2] write(4, \"xy\", 2) = 2",
        "[pid 2] read(3, \"xy\", 8) = 2",
        "[pid 2] exec(\"nosuch\", [\"nosuch\", \"-x\", \"two words\"]) = -1",
        "[pid 2] yield(1000000) = -3 PEBBLES_ESRCH (no live thread has that tid)",
        "[pid 2] exit(3) = ?",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StracedemoPrintsEachCallAsStraceDoes(int cpus)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Strace = [] }, null, "stracedemo");
        Assert.True(r.Status == 3, r.ToString());
        Assert.Equal(StracedemoLines, Lines(r.Diagnostics));
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void OnlyTheNamedPidsAreTraced()
    {
        RunResult other = KernelRun.Program(new KernelOptions { Cpus = 1, Strace = [7] }, null, "stracedemo");
        Assert.Empty(Lines(other.Diagnostics));
        RunResult named = KernelRun.Program(new KernelOptions { Cpus = 1, Strace = [7, 2] }, null, "stracedemo");
        Assert.Equal(StracedemoLines, Lines(named.Diagnostics));
    }

    [Fact]
    public void ForkedChildrenAreTracedUnderTheirOwnPids()
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = 3, Strace = [] }, null, "forktest");
        Assert.True(r.Status == 0, r.ToString());
        string[] lines = Lines(r.Diagnostics);
        Assert.Contains(lines, l => l.StartsWith("[pid 2] fork() = ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[pid 3] ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\[pid \d+\] [a-z_0-9]+\(.*\) = (\?|-?\d+|0x[0-9a-f]+)( .*)?$", l));
    }

    [Fact]
    public void StringsAreQuotedAndCutAt32Bytes()
    {
        Assert.Equal("\"a\\33[0m\\0\\n\"", SyscallCall.Quote("a\u001b[0m\0\n"u8.ToArray(), false));
        Assert.Equal("\"\\0001\"", SyscallCall.Quote([0, (byte)'1'], false));
        Assert.Equal("\"abc\"...", SyscallCall.Quote("abc"u8.ToArray(), true));
    }

    [Fact]
    public void OpenFlagsAreNamed()
    {
        Assert.Equal("O_RDONLY", SyscallCall.OpenFlags(0));
        Assert.Equal("O_RDWR|O_CREATE", SyscallCall.OpenFlags(0x202));
        Assert.Equal("O_WRONLY|O_TRUNC|0x8000", SyscallCall.OpenFlags(0x8401));
    }

    [Fact]
    public void ErrorsAreNamedByFamily()
    {
        Assert.Equal("ENOENT (No such file or directory)", LinuxErrno.Describe(2));
        SyscallSignature yield = SyscallCall.Find(0x45)!;
        Assert.Equal("pebbles", yield.Family);
        Assert.Equal(ArgKind.Int, Assert.Single(yield.Arguments));
        Assert.Equal([ArgKind.Int, ArgKind.InBuffer, ArgKind.Int], SyscallCall.Find(16)!.Arguments);
        Assert.Equal(ResultKind.Pointer, SyscallCall.Find(12)!.Result);
        Assert.Null(SyscallCall.Find(999));
    }

    [Fact]
    public void AnArrayParameterIsAnArgvListLikeAPointerToPointers()
    {
        // xv6's exec(const char *path, char **argv) and Pebbles' exec(const char *, char *argvec[]).
        Assert.Equal([ArgKind.String, ArgKind.Argv], SyscallCall.Find(7)!.Arguments);
        Assert.Equal([ArgKind.String, ArgKind.Argv], SyscallCall.Find(0x42)!.Arguments);
    }

    private static string[] Lines(string diagnostics) =>
        diagnostics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("[pid ", StringComparison.Ordinal)).ToArray();
}
