using System.Text.RegularExpressions;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The shell, init and the utilities, as a student uses them: each test boots /init with a
/// script piped in as the console's input and checks the transcript. The input is not a
/// terminal, so sh prints no prompt and init halts the machine once sh reaches the end of the
/// script: a transcript is exactly the commands' output after init's first line.
/// </summary>
public class ShellTests
{
    private const string InitBanner = "init: starting sh\n";

    /// <summary>Boots with the script, checks the boot ended cleanly, and returns what the commands printed.</summary>
    private static string Session(int cpus, string script)
    {
        RunResult r = KernelRun.Boot(cpus, script);
        Assert.True(r.Status == 0, r.ToString());
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.StartsWith(InitBanner, r.Output);
        return r.Output[InitBanner.Length..];
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EchoRedirectedIntoAFileCatsBack(int cpus)
    {
        Assert.Equal("hello, file world\n", Session(cpus, "echo hello, file world > f\ncat f\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AppendAddsToTheEndAndCreatesMissingFiles(int cpus)
    {
        string script = "echo one > f\necho two >> f\necho three >> f\ncat f\necho new >> g\ncat g\n";
        Assert.Equal("one\ntwo\nthree\nnew\n", Session(cpus, script));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void OutputRedirectionTruncates(int cpus)
    {
        Assert.Equal("short\n", Session(cpus, "echo a much longer line > f\necho short > f\ncat f\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void InputRedirectionFeedsAProgram(int cpus)
    {
        Assert.Equal("2 3 14\n", Session(cpus, "echo one two > f\necho three >> f\nwc < f\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PipelineCountsTheMatchingLines(int cpus)
    {
        string[] matching = File.ReadAllLines(ReadmePath()).Where(l => l.Contains("xv6")).ToArray();
        Assert.NotEmpty(matching);
        int words = matching.Sum(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length);
        int bytes = matching.Sum(l => l.Length + 1);
        Assert.Equal($"{matching.Length} {words} {bytes}\n", Session(cpus, "cat README | grep xv6 | wc\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LongPipelinesPassDataThroughEveryStage(int cpus)
    {
        string script = "echo a b c | cat | cat | grep b | wc\necho x | cat | cat | cat | cat | cat | cat | cat | cat\n";
        Assert.Equal("1 3 6\nx\n", Session(cpus, script));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ListsRunInOrder(int cpus)
    {
        Assert.Equal("1\n2\n3\n4\n", Session(cpus, "echo 1 ; echo 2;echo 3 ;\necho 4\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BackgroundJobRunsAndWaitCollectsIt(int cpus)
    {
        Assert.Equal("from the background\n", Session(cpus, "echo from the background > f &\nwait\ncat f\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BackgroundJobDoesNotHoldUpTheShell(int cpus)
    {
        // The job would sleep far past the test's deadline; the shell must go on at once, so the
        // kill reaches it. In a fresh boot init is pid 1, sh 2, and sh's first child 3.
        string output = Session(cpus, "sleep 1000000 &\nkill 3\nwait\necho shell went on\n");
        Assert.Equal("shell went on\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void InitCannotBeKilled(int cpus)
    {
        // kill(1) is refused, and init goes on: it still runs the next shell command, and halts
        // the machine at the end of the script (a killed init would panic or never halt).
        string output = Session(cpus, "kill 1\necho init lives\n");
        Assert.Equal("kill: 1: init cannot be killed\ninit lives\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EndOfScriptWaitsForBackgroundJobs(int cpus)
    {
        // The job outlives the script; its line must still make it into the transcript (in
        // whichever order: the shell does not wait for the job before echo).
        string[] lines = Lines(Session(cpus, "(sleep 10 ; echo last) &\necho first\n"));
        Assert.Equal(new[] { "first", "last" }, lines.Order().ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GroupsShareARedirection(int cpus)
    {
        string script = "(echo a ; echo b) > g\ncat g\n(echo x ; cat g) | wc\n( (echo deep) )\n";
        Assert.Equal("a\nb\n3 3 6\ndeep\n", Session(cpus, script));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CdIntoANewDirectoryAndBack(int cpus)
    {
        string output = Session(cpus, "mkdir d\ncd d\necho hi > f\nls\ncd ..\ncat d/f\ncd d ; cd /\nls d\n");
        string[] lines = Lines(output);
        // Inside d: ".", ".." and f; programs are still found from the root after the cd.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^f\s+2\s+\d+\s+3$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\.\.\s+1\s+1\s+\d+$"));
        Assert.Contains("hi", lines);
        Assert.Equal(2, lines.Count(l => Regex.IsMatch(l, @"^f\s+2\s+\d+\s+3$")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LinkAndRemoveShowInLs(int cpus)
    {
        string output = Session(cpus, "echo data > a\nln a b\nls a b\nrm a\nls a\ncat b\nrm b\nls b\n");
        string[] lines = Lines(output);
        Match a = Regex.Match(output, @"(?m)^a\s+2\s+(\d+)\s+5$");
        Match b = Regex.Match(output, @"(?m)^b\s+2\s+(\d+)\s+5$");
        Assert.True(a.Success && b.Success, output);
        Assert.Equal(a.Groups[1].Value, b.Groups[1].Value); // one inode, two names
        Assert.Contains("ls: cannot open a", lines);
        Assert.Contains("data", lines);
        Assert.Contains("ls: cannot open b", lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DirectoriesAreRemovedOnlyWhenEmpty(int cpus)
    {
        string output = Session(cpus, "mkdir d\necho x > d/f\nrm d\nrm d/f\nrm d\nls d\n");
        Assert.Equal("rm: d: cannot remove\nls: cannot open d\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void UnknownCommandIsReportedAndTheShellGoesOn(int cpus)
    {
        string output = Session(cpus, "nosuchcmd arg\nREADME\necho still here\n");
        Assert.Equal("sh: nosuchcmd: not found\nsh: README: cannot run\nstill here\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SyntaxErrorsAreReportedAndTheShellGoesOn(int cpus)
    {
        string script = "echo a | | wc\n; echo b\necho c |\n(echo d\necho e )\necho 'f\n> \necho ok\n";
        Assert.Equal(
            "sh: syntax error near '|'\n" +
            "sh: syntax error near ';'\n" +
            "sh: syntax error near end of line\n" +
            "sh: syntax error near end of line\n" +
            "sh: syntax error near ')'\n" +
            "sh: syntax error: unterminated quote\n" +
            "sh: syntax error near end of line\n" +
            "ok\n",
            Session(cpus, script));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CdToABadDirectoryIsAnError(int cpus)
    {
        string output = Session(cpus, "cd nowhere\ncd README\nls README\n");
        Assert.StartsWith("sh: cd: nowhere: no such directory\nsh: cd: README: not a directory\nREADME ", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void QuotesKeepSpacesAndOperators(int cpus)
    {
        Assert.Equal("a  b | c > d\n", Session(cpus, "echo 'a  b' \"| c\" '>' d # a comment\n"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EndOfInputHaltsTheMachine(int cpus)
    {
        RunResult r = KernelRun.Boot(cpus, "echo bye\n");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(InitBanner + "bye\n", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
    }

    [Fact]
    public void EmptyInputHaltsTheMachine()
    {
        RunResult r = KernelRun.Boot(1, "");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(InitBanner, r.Output);
    }

    [Fact]
    public void PromptAndJobNumbersOnlyOnATerminal()
    {
        // On a terminal sh prompts and names background jobs (echo is pid 3, sleep pid 4);
        // init would restart the shell at the end of input, so the script halts itself.
        RunResult r = KernelRun.Boot(new KernelOptions { Cpus = 1, ConsoleIsTerminal = true }, "echo hi\nsleep 1000000 &\nhalt\n");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(InitBanner + "$ hi\n$ [4]\n$ ", r.Output);
    }

    [Fact]
    public void ShRunsAScriptFile()
    {
        Assert.Equal("from a file\n", Session(3, "echo echo from a file > s\nsh s\n"));
    }

    [Fact]
    public void ExitEndsTheShellWithoutReadingFurther()
    {
        Assert.Equal("before\n", Session(1, "echo before\nexit\necho after\n"));
    }

    [Fact]
    public void HaltPowersOff()
    {
        Assert.Equal("", Session(3, "halt\necho not reached\n"));
    }

    [Fact]
    public void InitMakesTheNullDevice()
    {
        string output = Session(1, "ls null\necho gone > null\ncat null\nwc < null\n");
        Assert.Matches(@"^null\s+3\s+\d+\s+0\n0 0 0\n$", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StressfsPassesFromTheShell(int cpus)
    {
        string output = Session(cpus, "stressfs\nls\n");
        Assert.Contains("stressfs: ok", output);
        Assert.DoesNotContain("FAIL", output);
        Assert.DoesNotContain(Lines(output), l => l.StartsWith("stressfs.")); // its files are gone
    }

    [Fact]
    public void SleepWaitsTheTicksUptimeReports()
    {
        int[] ticks = Lines(Session(1, "uptime\nsleep 20\nuptime\n")).Select(int.Parse).ToArray();
        Assert.Equal(2, ticks.Length);
        Assert.True(ticks[1] >= ticks[0] + 20, $"uptime went from {ticks[0]} to {ticks[1]} across sleep 20");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LongScriptRunsToTheEnd(int cpus)
    {
        // Far more than the console's 128-byte line buffer holds: the input must wait for the
        // shell to read it, not be dropped.
        var script = new System.Text.StringBuilder();
        for (int i = 0; i < 60; i++)
            script.Append($"echo line {i} of a script longer than the console buffer >> log\n");
        script.Append("wc < log\n");
        Assert.Equal("60 600 3050\n", Session(cpus, script.ToString()));
    }

    // ---- The utilities on their own ----

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void WcCountsStandardInputAndFiles(int cpus)
    {
        RunResult r = KernelRun.ProgramWithInput(cpus, "one two\n  three\tfour five\n\nsix", "wc");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("3 6 30\n", r.Output);

        long size = new FileInfo(ReadmePath()).Length;
        r = KernelRun.Program(cpus, "wc", "README", "README");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Matches($@"^(\d+) (\d+) {size} README\n\1 \2 {size} README\n\d+ \d+ {2 * size} total\n$", r.Output);
    }

    [Fact]
    public void WcReportsAMissingFile()
    {
        RunResult r = KernelRun.Program(1, "wc", "nosuch");
        Assert.Equal(1, r.Status);
        Assert.Equal("wc: nosuch: cannot open\n", r.Output);
    }

    private const string Fruit = "apple\nbanana\ncherry\nbandana\n\nkiwi.\nbnn\n";

    [Theory]
    [InlineData("an", "banana\nbandana\n")]          // literal characters, anywhere in the line
    [InlineData("^b", "banana\nbandana\nbnn\n")]     // ^ anchors at the start
    [InlineData("a$", "banana\nbandana\n")]          // $ anchors at the end
    [InlineData("ch.r", "cherry\n")]                 // . is any character
    [InlineData("^ba*n", "banana\nbandana\nbnn\n")]  // * is zero or more
    [InlineData("^b.*a$", "banana\nbandana\n")]      // .* is anything
    [InlineData("^$", "\n")]                         // the empty line
    [InlineData("i\\.", "kiwi.\n")]                  // \ takes the next character literally
    [InlineData("", Fruit)]                          // the empty pattern matches everything
    public void GrepMatchesBasicRegularExpressions(string pattern, string expected)
    {
        RunResult r = KernelRun.ProgramWithInput(1, Fruit, "grep", pattern);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(expected, r.Output);
    }

    [Fact]
    public void GrepWithoutAMatchExitsOne()
    {
        RunResult r = KernelRun.ProgramWithInput(1, Fruit, "grep", "xyz");
        Assert.Equal(1, r.Status);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void GrepNamesTheFileWhenGivenSeveral()
    {
        RunResult r = KernelRun.Program(3, "grep", "^Osprey disk", "README", "nosuch", "README");
        Assert.Equal(2, r.Status);
        Assert.Equal("README:Osprey disk image\ngrep: nosuch: cannot open\nREADME:Osprey disk image\n", r.Output);
    }

    [Fact]
    public void GrepWithoutAPatternPrintsUsage()
    {
        RunResult r = KernelRun.Program(1, "grep");
        Assert.Equal(2, r.Status);
        Assert.Equal("usage: grep PATTERN [FILE...]\n", r.Output);
    }

    [Theory]
    [InlineData("kill", new[] { "9999" }, "kill: 9999: no such process\n", 1)]
    [InlineData("kill", new[] { "12x" }, "kill: 12x: not a process id\n", 1)]
    [InlineData("kill", new string[0], "usage: kill PID...\n", 2)]
    [InlineData("rm", new[] { "nosuch" }, "rm: nosuch: cannot remove\n", 1)]
    [InlineData("rm", new[] { "." }, "rm: .: cannot remove\n", 1)]
    [InlineData("mkdir", new[] { "README" }, "mkdir: README: cannot create\n", 1)]
    [InlineData("mkdir", new[] { "no/such" }, "mkdir: no/such: cannot create\n", 1)]
    [InlineData("ln", new[] { "nosuch", "x" }, "ln: cannot link nosuch to x\n", 1)]
    [InlineData("ln", new[] { ".", "x" }, "ln: cannot link . to x\n", 1)]
    [InlineData("ln", new[] { "README" }, "usage: ln OLD NEW\n", 2)]
    [InlineData("sleep", new[] { "soon" }, "usage: sleep TICKS\n", 2)]
    [InlineData("uptime", new[] { "x" }, "usage: uptime\n", 2)]
    public void UtilitiesReportBadInputInOneLine(string program, string[] args, string message, int status)
    {
        RunResult r = KernelRun.Program(1, program, args);
        Assert.Equal(message, r.Output);
        Assert.Equal(status, r.Status);
        Assert.DoesNotContain("panic", r.Diagnostics);
    }

    [Fact]
    public void KillEndsASleepingProcess()
    {
        // pid 3 is sh's first child in a fresh boot: the sleeper, which would outlive the test.
        string output = Session(3, "sleep 1000000 &\nkill 3\nwait\nkill 3\n");
        Assert.Equal("kill: 3: no such process\n", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StressfsPasses(int cpus)
    {
        RunResult r = KernelRun.Program(cpus, "stressfs");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("stressfs: ok", r.Output);
        Assert.Equal(4, Regex.Matches(r.Output, "read it back").Count);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void LsListsSeveralArguments()
    {
        RunResult r = KernelRun.Program(1, "ls", "README", "console", "nosuch");
        Assert.Equal(1, r.Status);
        Assert.Matches(@"^README\s+2\s+\d+\s+\d+\nconsole\s+3\s+\d+\s+0\nls: cannot open nosuch\n$", r.Output);
    }

    private static string ReadmePath() =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(DefaultImage.Path))!, "user", "README");
}
