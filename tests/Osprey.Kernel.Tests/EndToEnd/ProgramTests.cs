using Osprey.Kernel.Mem;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The kernel core's test programs from user/, each booted on 1 and 3 CPUs with every frame
/// allocator: each must exit 0 with its "ok" line, the kernel must not panic (lockdep is on),
/// and every frame must be free again after the run (no leaks).
/// </summary>
public class ProgramTests
{
    public static TheoryData<string, int, string> Suites()
    {
        var data = new TheoryData<string, int, string>();
        foreach (string program in new[] { "forktest", "exectest", "sbrktest", "killtest", "sleeptest", "filetest", "badargs", "faulttest", "manyproc", "malloctest", "syscallnums", "pipetest", "writetest", "fptest", "sigtest" })
        {
            foreach (string allocator in FrameAllocator.PolicyNames)
            {
                data.Add(program, 1, allocator);
                data.Add(program, 3, allocator);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void TestProgramPasses(string program, int cpus, string allocator)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Allocator = allocator }, null, program);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains($"{program}: ok", r.Output);
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void HelloPrintsItsArguments(int cpus)
    {
        RunResult r = KernelRun.Program(cpus, "hello", "one", "two words");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("hello, world\nargv[0] = hello\nargv[1] = one\nargv[2] = two words\n", r.Output);
    }

    [Theory]
    [InlineData(1, "0", 0)]
    [InlineData(3, "42", 42)]
    [InlineData(3, "-1", -1)]
    public void ExitStatusComesBack(int cpus, string status, int expected)
    {
        Assert.Equal(expected, KernelRun.Program(cpus, "exitcode", status).Status);
    }

    [Fact]
    public void FaultKillsTheProgramWithAOneLineMessage()
    {
        RunResult r = KernelRun.Program(1, "fault", "load");
        Assert.Equal(-1, r.Status);
        Assert.Matches(@"pid \d+ fault: load page fault at pc=0x[0-9a-f]+ addr=0x[0-9a-f]+ sp=0x[0-9a-f]+; killed", r.Output);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AFaultWithAWildStackPointerReportsIt(int cpus)
    {
        // fault stack moves sp to 0xdead000000 and stores there: the line must name that
        // address twice, as the access and as sp (not another register, not the old sp).
        RunResult r = KernelRun.Program(cpus, "fault", "stack");
        Assert.Equal(-1, r.Status);
        Assert.Matches(@"pid \d+ fault: store page fault at pc=0x[0-9a-f]+ addr=0xdead000000 sp=0xdead000000; killed", r.Output);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void CatCopiesStandardInputToTheConsole()
    {
        RunResult r = KernelRun.ProgramWithInput(3, "line one\nline two\n", "cat");
        Assert.Equal(0, r.Status);
        Assert.Equal("line one\nline two\n", r.Output);
    }

    [Theory]
    [InlineData("helo\blo\n", "hello\n")]               // backspace erases a character
    [InlineData("helo\x7flo\n", "hello\n")]             // so does DEL
    [InlineData("junk\x15real\n", "real\n")]           // ^U erases the line
    [InlineData("partial\x04", "partial")]               // ^D ends input without a newline
    [InlineData("one\n\x04two\n", "one\n")]            // ^D at the start of a line is end of file
    public void ConsoleLineEditing(string typed, string seen)
    {
        RunResult r = KernelRun.ProgramWithInput(1, typed, "cat");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(seen, r.Output);
    }

    [Fact]
    public void LsListsTheRootDirectory()
    {
        RunResult r = KernelRun.Program(1, "ls");
        Assert.Equal(0, r.Status);
        Assert.Matches(@"(?m)^README\s+2\s+\d+\s+\d+$", r.Output);
        Assert.Matches(@"(?m)^console\s+3\s+\d+\s+0$", r.Output);
    }

    [Theory]
    [InlineData("sleeptest", 1)]
    [InlineData("sleeptest", 3)]
    [InlineData("killtest", 3)]
    [InlineData("forktest", 3)]
    public void DeterministicClockRunsTheSuites(string program, int cpus)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Deterministic = true }, null, program);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains($"{program}: ok", r.Output);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void MissingProgramFailsWithStatus127()
    {
        RunResult r = KernelRun.Program(1, "no-such-program");
        Assert.Equal(127, r.Status);
        Assert.Contains("no such file", r.Diagnostics);
    }
}
