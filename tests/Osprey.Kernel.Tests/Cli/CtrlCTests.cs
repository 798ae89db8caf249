namespace Osprey.Kernel.Tests.Cli;

/// <summary>
/// ^C on a real terminal (a pseudo-terminal, as a person's): <c>osprey boot</c> in raw mode
/// passes the key to the kernel, whose console sends SIGINT to every process but init. The
/// shell ignores it while it waits, the foreground program it ran dies of it and the prompt
/// comes back, and a background job (started with &amp;, so still ignoring SIGINT) lives on.
/// </summary>
public sealed class CtrlCTests
{
    private const string CtrlA = "\x01", CtrlC = "\x03", CtrlP = "\x10";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CtrlCStopsTheForegroundProgramAndSparesTheShellAndBackgroundJobs(int cpus)
    {
        using var pty = PseudoTerminal.Start($"{PseudoTerminal.Osprey} boot --cpus {cpus}; echo status=$?");
        pty.WaitFor("$ ");
        pty.Type("sleep 100000 &\r");
        pty.WaitFor("]\r\n$ ");
        pty.Type("sigtest spin\r");
        pty.WaitFor("sigtest: spinning\r\n");
        int before = pty.Output.Length;
        pty.Type(CtrlC);
        pty.WaitFor("^C\r\n");
        WaitAfter(pty, before, "$ "); // the prompt again: the shell lived, the spinner did not hold it
        pty.Type("echo alive\r");
        pty.WaitFor("alive\r\n");

        // ^P lists the processes: init, sh and the background sleep; the spinner is gone.
        before = pty.Output.Length;
        pty.Type(CtrlP);
        WaitAfter(pty, before, " sh\r\n");
        string listing = pty.Output[before..];
        Assert.Contains(" sleep\r\n", listing);
        Assert.Contains(" init\r\n", listing);
        Assert.DoesNotContain("sigtest", listing);

        pty.Type(CtrlA + "x");
        pty.WaitFor("status=0\r\n");
        Assert.Equal(0, pty.WaitForExit());
    }

    /// <summary>Waits until <paramref name="text"/> shows after the first <paramref name="from"/> characters of output.</summary>
    private static void WaitAfter(PseudoTerminal pty, int from, string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (pty.Output.IndexOf(text, from, StringComparison.Ordinal) < 0)
        {
            if (clock.Elapsed > PseudoTerminal.Deadline)
                throw new TimeoutException($"the terminal never showed {PseudoTerminal.Show(text)} after ^C; it showed:\n{PseudoTerminal.Show(pty.Output)}");
            Thread.Sleep(20);
        }
    }
}
