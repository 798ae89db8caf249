using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Osprey.Commands;
using Osprey.Kernel.Tests.Support;
using Osprey.Terminal;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>
/// <c>osprey boot</c> and the host terminal: the Ctrl-A escapes, how the console is set up for
/// a terminal and for piped input, the options, and (on a pseudo-terminal made by script) raw
/// mode for real, with the terminal's settings compared before and after every way out.
/// </summary>
public sealed class BootTerminalTests
{
    private const string CtrlA = "\x01", CtrlP = "\x10", CtrlU = "\x15", Delete = "\x7f";

    // --- the escapes -------------------------------------------------------------------

    private sealed class Typist
    {
        public int PowerOffs, Helps;
        public readonly ConsoleEscape Escape;

        public Typist() => Escape = new ConsoleEscape(() => PowerOffs++, () => Helps++);

        /// <summary>What the guest reads when <paramref name="typed"/> arrives in reads of <paramref name="chunk"/> bytes.</summary>
        public byte[] GuestSees(string typed, int chunk = 256)
        {
            var stream = new EscapeFilterStream(new TrickleStream(Encoding.Latin1.GetBytes(typed), chunk), Escape);
            var seen = new MemoryStream();
            var buffer = new byte[256];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                seen.Write(buffer, 0, n);
            return seen.ToArray();
        }
    }

    /// <summary>A stream that gives its bytes at most <paramref name="chunk"/> per read, as a terminal gives keys.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1)]
    public void OrdinaryKeysAndCtrlCGoToTheGuest(int chunk)
    {
        var t = new Typist();
        Assert.Equal("ls\r\x03\x04\x10\x1a"u8.ToArray(), t.GuestSees("ls\r\x03\x04\x10\x1a", chunk));
        Assert.Equal(0, t.PowerOffs);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1)]
    public void CtrlAXPowersOffAndTheGuestSeesNothingAfterIt(int chunk)
    {
        var t = new Typist();
        Assert.Equal("ab"u8.ToArray(), t.GuestSees("ab" + CtrlA + "xcd", chunk));
        Assert.Equal(1, t.PowerOffs);
        Assert.True(t.Escape.PoweredOff);
    }

    [Fact]
    public void CapitalXPowersOffToo()
    {
        var t = new Typist();
        Assert.Empty(t.GuestSees(CtrlA + "X"));
        Assert.Equal(1, t.PowerOffs);
    }

    [Fact]
    public void CtrlATwiceSendsOneCtrlA()
    {
        var t = new Typist();
        Assert.Equal("\x01x"u8.ToArray(), t.GuestSees(CtrlA + CtrlA + "x"));
        Assert.Equal(0, t.PowerOffs);
    }

    [Fact]
    public void CtrlAHPrintsHelpAndSendsNothing()
    {
        var t = new Typist();
        Assert.Equal("ab"u8.ToArray(), t.GuestSees("a" + CtrlA + "h" + CtrlA + "?b"));
        Assert.Equal(2, t.Helps);
    }

    [Fact]
    public void CtrlAThenAnotherKeySendsBoth()
    {
        var t = new Typist();
        Assert.Equal("\x01q\x01\r"u8.ToArray(), t.GuestSees(CtrlA + "q" + CtrlA + "\r"));
        Assert.Equal(0, t.PowerOffs);
    }

    [Fact]
    public void ACtrlAAtTheEndOfInputIsSentAfterAll()
    {
        var t = new Typist();
        Assert.Equal("z\x01"u8.ToArray(), t.GuestSees("z" + CtrlA));
    }

    [Fact]
    public void AReadHoldingOnlyAnEscapeIsNotEndOfInput()
    {
        // The console's reader takes 0 as end of input, so the help escape alone in a read must
        // not end it: the next key still arrives.
        var t = new Typist();
        Assert.Equal("k"u8.ToArray(), t.GuestSees(CtrlA + "hk", chunk: 2));
    }

    // --- console set-up ----------------------------------------------------------------

    [Fact]
    public void PipedInputIsNotATerminalAndIsNotEchoed()
    {
        Assert.Equal(ConsoleSetup.Piped, ConsoleSetup.For(interactive: true, stdinIsTerminal: false, rawModeSupported: true));
        Assert.False(ConsoleSetup.Piped.IsTerminal);
        Assert.False(ConsoleSetup.Piped.Echo);
        Assert.False(ConsoleSetup.Piped.RawMode);
    }

    [Fact]
    public void ATerminalGoesRawWithTheKernelEchoing()
    {
        Assert.Equal(new ConsoleSetup(RawMode: true, Echo: true, IsTerminal: true),
            ConsoleSetup.For(interactive: true, stdinIsTerminal: true, rawModeSupported: true));
    }

    [Fact]
    public void WithoutRawModeATerminalStaysCookedAndTheKernelDoesNotEchoTwice()
    {
        Assert.Equal(new ConsoleSetup(RawMode: false, Echo: false, IsTerminal: true),
            ConsoleSetup.For(interactive: true, stdinIsTerminal: true, rawModeSupported: false));
    }

    [Fact]
    public void RunIsNeverInteractive()
    {
        Assert.Equal(ConsoleSetup.Piped, ConsoleSetup.For(interactive: false, stdinIsTerminal: true, rawModeSupported: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSetupReachesTheKernelsConsole(bool terminal)
    {
        using TemporaryFile image = DefaultImage.Copy() ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing");
        ConsoleSetup setup = ConsoleSetup.For(interactive: true, stdinIsTerminal: terminal, rawModeSupported: true);
        (bool Echo, bool IsTerminal)? seen = null;
        int status = KernelLauncher.Launch(image.Path, new KernelOptions(), setup, new MemoryStream(), kernel =>
        {
            seen = (kernel.Console.Echo, kernel.Console.IsTerminal);
            return 7;
        });
        Assert.Equal(7, status);
        Assert.Equal((terminal, terminal), seen);
    }

    // --- options -----------------------------------------------------------------------

    [Theory]
    [InlineData("boot --cpus 0", "--cpus must be between 1 and 8")]
    [InlineData("boot --cpus 9", "--cpus must be between 1 and 8")]
    [InlineData("boot --cpus two", "two")]
    [InlineData("boot extra", "extra")]
    [InlineData("boot --init ../init", "--init must name a program in the disk's root directory")]
    [InlineData("boot --init a_name_longer_than_14", "--init must name a program in the disk's root directory")]
    public void BadOptionsAreRefused(string args, string message)
    {
        var root = new RootCommand { BootCommand.Create() };
        ParseResult parsed = root.Parse(args);
        Assert.NotEmpty(parsed.Errors);
        Assert.Contains(message, parsed.Errors[0].Message);
    }

    [Fact]
    public void AMissingDiskGivesOneLineAndStatusTwoWithoutTouchingTheTerminal()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"osprey-no-such-{Guid.NewGuid():N}.img");
        var (status, stdout, stderr) = OspreyProcess.Run(["boot", "--disk", missing]);
        Assert.Equal(2, status);
        Assert.Equal("", stdout);
        Assert.Equal($"osprey: {missing}: no such disk image\n", stderr);
    }

    [Fact]
    public void PipedInputGetsNoHint()
    {
        // A file that is not an xv6 image fails at once, after the console was set up.
        string notAnImage = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(notAnImage, new byte[4096]);
            var (status, _, stderr) = OspreyProcess.Run(["boot", "--disk", notAnImage]);
            Assert.Equal(2, status);
            Assert.DoesNotContain("Ctrl-A", stderr);
            Assert.StartsWith($"osprey: {notAnImage}: ", stderr);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(notAnImage);
        }
    }

    // --- a real terminal ---------------------------------------------------------------

    /// <summary>The terminal's settings as `stty -g` prints them, first and last in the output.</summary>
    private static (string Before, string After) Settings(string output)
    {
        var lines = output.Split("\r\n").Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9a-f]+(:[0-9a-f]+){10,}$")).ToList();
        Assert.True(lines.Count == 2, $"expected two stty -g lines in:\n{PseudoTerminal.Show(output)}");
        return (lines[0], lines[1]);
    }

    [Fact]
    public void OnATerminalBootIsRawUntilCtrlAXAndTheTerminalComesBackAsItWas()
    {
        using var pty = PseudoTerminal.Start($"stty -g; {PseudoTerminal.Osprey} boot; echo status=$?; stty -g");
        pty.WaitFor(ConsoleEscape.Hint + "\r\n");
        pty.WaitFor("init: "); // pid 1 is running
        // ^P reaches the kernel without a newline (no line buffering by the host), and the
        // kernel's "\n" comes out as "\r\n" (output processing stayed on).
        pty.Type(CtrlP);
        pty.WaitFor(" init\r\n");
        // The kernel echoes and erases; the host echoes nothing.
        pty.Type("qz" + Delete);
        pty.WaitFor("qz\b \b");
        pty.Type(CtrlU + CtrlA + "h");
        pty.WaitFor("Ctrl-A x       power off\r\n");
        pty.Type(CtrlA + "x");
        pty.WaitFor("status=0\r\n");
        Assert.Equal(0, pty.WaitForExit());

        string output = pty.Output;
        Assert.Contains("osprey: powered off\r\n", output);
        Assert.DoesNotContain("qzqz", output);
        var (before, after) = Settings(output);
        Assert.Equal(before, after);
    }

    [Fact]
    public void OnATerminalABadImageIsReportedWithoutTouchingTheTerminal()
    {
        string notAnImage = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(notAnImage, new byte[4096]);
            using var pty = PseudoTerminal.Start($"stty -g; {PseudoTerminal.Osprey} boot --disk {PseudoTerminal.Quote(notAnImage)}; echo status=$?; stty -g");
            Assert.Equal(0, pty.WaitForExit());
            string output = pty.Output;
            Assert.Contains("status=2\r\n", output);
            Assert.Contains($"osprey: {notAnImage}: ", output);
            Assert.DoesNotContain("Ctrl-A", output);
            var (before, after) = Settings(output);
            Assert.Equal(before, after);
        }
        finally
        {
            File.Delete(notAnImage);
        }
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    [InlineData("INT", 2)]
    [InlineData("QUIT", 3)]
    public void ASignalToOspreyPutsTheTerminalBackBeforeItDies(string signal, int number)
    {
        // osprey runs in the foreground (a background job would have ^C and ^\ ignored), as the
        // shell's child after exec, so $$ is its pid.
        string boot = $"echo pid=$$; exec {PseudoTerminal.Osprey} boot";
        using var pty = PseudoTerminal.Start($"stty -g; sh -c {PseudoTerminal.Quote(boot)}; echo status=$?; stty -g");
        pty.WaitFor(ConsoleEscape.Hint + "\r\n");
        string pid = System.Text.RegularExpressions.Regex.Match(pty.Output, @"pid=(\d+)").Groups[1].Value;
        using (Process kill = Process.Start("kill", ["-" + signal, pid]))
            kill.WaitForExit();
        pty.WaitFor("status=");
        Assert.Equal(0, pty.WaitForExit());

        string output = pty.Output;
        Assert.Contains($"status={128 + number}\r\n", output);
        var (before, after) = Settings(output);
        Assert.Equal(before, after);
    }
}
