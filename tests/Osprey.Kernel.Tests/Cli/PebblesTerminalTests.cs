using System.Diagnostics;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>
/// The Pebbles console as a person meets it: <c>osprey boot --init pebbles_init</c> on a real
/// pseudo-terminal (raw mode, the kernel echoing), keys typed into the Pebbles shell, and what
/// the terminal shows read back as ANSI output and played onto an 80×25 screen
/// (<see cref="AnsiScreen"/>). console_test's colors come out as the 15-410 palette's SGR
/// escapes, set_cursor_pos as CUP moves, a print past the bottom right corner wraps and
/// scrolls the screen; readline echoes and edits (DEL erases with "\b \b"); two readers get
/// their lines in the order they asked; getchar takes a key before its line ends. Every wait
/// is for something on the terminal, with the pseudo-terminal's generous deadline.
/// </summary>
public sealed class PebblesTerminalTests
{
    private const string Delete = "\x7f";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ConsoleTestOnAPseudoTerminal(int cpus)
    {
        using var pty = PseudoTerminal.Start($"{PseudoTerminal.Osprey} boot --init pebbles_init --cpus {cpus}; echo status=$?");
        pty.WaitFor("]$ ");
        pty.Type("console_test\r");
        pty.WaitFor("type a line: ");
        pty.Type("helxo" + Delete + Delete + "lo\r");
        pty.WaitFor("readline got hello");
        pty.WaitFor("both readers waiting");
        pty.Type("first\r");
        pty.WaitFor("A got first");
        pty.Type("second\r");
        pty.WaitFor("B got second");
        pty.WaitFor("press a key: ");
        pty.Type("z");
        pty.WaitFor("getchar got z");
        int end = WaitAfter(pty, 0, "(^_^)_console_test: END__SUCCESS");
        WaitAfter(pty, end, "]$ "); // the shell is back: console_test ended with status 0 (else it says so)
        var screen = new AnsiScreen();
        screen.Play(pty.Output);
        string output = HaltCleanly(pty);
        Assert.DoesNotContain("console_test: status", output);
        // The escapes themselves: FGND_YLLW | BGND_BLUE is bright yellow (93) on blue (44),
        // the first cursor move clears and draws the screen, set_cursor_pos(10, 20) is CUP 11;21.
        Assert.Contains("\x1b[0;93;44myellow on blue", output);
        Assert.Contains("\x1b[H\x1b[2J", output);
        Assert.Contains("\x1b[11;21HX", output);
        // The kernel's echo of the line as typed, each DEL erased on the screen.
        Assert.Contains("helxo\b \b\b \blo", output);
        Assert.True(output.IndexOf("A got first", StringComparison.Ordinal) < output.IndexOf("B got second", StringComparison.Ordinal));

        // What the person sees, as the program asks for its line: the 0123456789 printed at
        // row 24, column 75 wrapped at the right edge (01234 ends a row, 56789 starts the next)
        // and scrolled the screen up, and so did the newline after it; X, printed at row 10,
        // column 20, went up with them (14 rows above 01234); the text colored yellow on blue
        // kept its color through the redraws.
        var asked = new AnsiScreen();
        asked.Play(output[..output.IndexOf("type a line: ", StringComparison.Ordinal)]);
        string shown = asked.ToString();
        Assert.True(asked.Line(AnsiScreen.Rows - 3).EndsWith("01234", StringComparison.Ordinal), $"row 22 does not end with 01234:\n{shown}");
        Assert.StartsWith("56789", asked.Line(AnsiScreen.Rows - 2));
        Assert.Equal('X', asked.Line(AnsiScreen.Rows - 3 - 14)[20]);
        Assert.Equal((AnsiScreen.Rows - 1, 0), asked.Cursor);
        int colored = asked.Find("yellow on blue");
        Assert.True(colored >= 0, $"the colored text is not on the screen:\n{shown}");
        int col = asked.Line(colored).IndexOf("yellow on blue", StringComparison.Ordinal);
        Assert.Equal("0;93;44", asked.Style(colored, col));
        Assert.Equal("0;93;44", asked.Style(colored, col + 13));

        // At the end: each line where it belongs, in the default light gray on black (37;40),
        // the edited line as it ended up, the readers in order, the key before getchar's report.
        shown = screen.ToString();
        int line = screen.Find("type a line: hello");
        Assert.True(line >= 0 && screen.Line(line + 1).StartsWith("readline got hello", StringComparison.Ordinal), shown);
        Assert.Equal("0;37;40", screen.Style(line + 1, 0));
        Assert.True(screen.Find("A got first") < screen.Find("B got second"), shown);
        Assert.True(screen.Find("press a key: zgetchar got z") > screen.Find("B got second"), shown);
    }

    /// <summary>
    /// readline_intr (user/pebbles/tests): with a SIGALRM handler and an alarm every 5 ticks,
    /// a blocked readline returns PEBBLES_EINTR at each alarm, after the handler ran; the line
    /// typed meanwhile ("abc", echoed) survives an interruption and is still editable (DEL
    /// erases the c typed before it), so the next readline gets "abdef"; getchar the same.
    /// Then with SIGALRM's default action the alarm ends the task waiting in readline
    /// (status -1, which the Pebbles shell reports) and the shell reads on.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ASignalEndsABlockedReadlineOrGetcharAndTheTypedLineStays(int cpus)
    {
        using var pty = PseudoTerminal.Start($"{PseudoTerminal.Osprey} boot --init pebbles_init --cpus {cpus}; echo status=$?");
        pty.WaitFor("]$ ");
        pty.Type("readline_intr\r");
        pty.WaitFor("readline interrupted 1\r\n");
        int before = pty.Output.Length;
        pty.Type("abc");
        int echoed = WaitAfter(pty, before, "abc");
        WaitAfter(pty, echoed, "readline interrupted "); // a signal came while abc was waiting
        pty.Type(Delete + "def\r");
        pty.WaitFor("readline got abdef\r\n");
        pty.WaitFor("getchar interrupted 1\r\n");
        pty.Type("q");
        pty.WaitFor("getchar got q\r\n");
        int end = WaitAfter(pty, 0, "(^_^)_readline_intr: END__SUCCESS");
        WaitAfter(pty, end, "]$ ");

        before = pty.Output.Length;
        pty.Type("readline_intr default\r");
        WaitAfter(pty, before, "readline_intr: waiting for the alarm\r\n");
        before = WaitAfter(pty, before, "readline_intr: status -1\r\n");
        WaitAfter(pty, before, "]$ ");
        pty.Type("nosuchprog\r"); // the shell reads again: the dead reader left the console's queue
        WaitAfter(pty, before, "shell: cannot run nosuchprog");
        HaltCleanly(pty);
    }

    /// <summary>Halts the machine from the shell and checks it went down cleanly (status 0, no failed test, no panic); the whole session's output.</summary>
    private static string HaltCleanly(PseudoTerminal pty)
    {
        pty.Type("halt\r");
        pty.WaitFor("status=0\r\n");
        Assert.Equal(0, pty.WaitForExit());
        string output = pty.Output;
        Assert.DoesNotContain("END__FAIL", output);
        Assert.DoesNotContain("panic", output);
        return output;
    }

    /// <summary>Waits until <paramref name="text"/> shows after the first <paramref name="from"/> characters of output; where it shows.</summary>
    internal static int WaitAfter(PseudoTerminal pty, int from, string text)
    {
        var clock = Stopwatch.StartNew();
        int at;
        while ((at = pty.Output.IndexOf(text, from, StringComparison.Ordinal)) < 0)
        {
            if (clock.Elapsed > PseudoTerminal.Deadline)
                throw new TimeoutException($"the terminal never showed {PseudoTerminal.Show(text)} after offset {from}; it showed:\n{PseudoTerminal.Show(pty.Output)}");
            Thread.Sleep(20);
        }
        return at;
    }
}
