using Osprey.Kernel.Dev;
using Osprey.Kernel.Tests.Cli;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>
/// A session typed by a person on a real terminal (a pseudo-terminal), recorded with
/// <c>boot --seed N --record FILE</c>, replays with <c>boot --replay FILE</c> to the same
/// console output byte for byte: each key is kept with the turn it arrived at, whatever the
/// typist's (here the test's) timing was. The session edits a line, runs a racy program whose
/// result depends on the interleaving, interrupts a spinning program with ^C, and powers off
/// with Ctrl-A x (kept as the recording's halt).
/// </summary>
public sealed class TypedSessionReplayTests
{
    private const string CtrlA = "\x01", CtrlC = "\x03", Backspace = "\x7f";

    [Fact]
    public void ATypedSessionRecordedOnATerminalReplaysExactly()
    {
        using var recording = new TemporaryFile();
        using var transcript = new TemporaryFile();
        // stdin is the terminal (so the boot is raw and the recording says "terminal"); the
        // console's own bytes go through tee to a file and to the terminal, where the test reads them.
        using var pty = PseudoTerminal.Start(
            $"{{ {PseudoTerminal.Osprey} boot --cpus 2 --seed 9 --record {PseudoTerminal.Quote(recording.Path)}; echo \"osprey status=$?\" >&2; }} | tee {PseudoTerminal.Quote(transcript.Path)}");
        pty.WaitFor("$ ");
        pty.Type("echo tpyo" + Backspace + Backspace + Backspace + "yped\r");
        pty.WaitFor("typed");
        pty.Type("racy count 2 3000\r");
        pty.WaitFor("racy: counter");
        pty.Type("sigtest spin\r");
        pty.WaitFor("sigtest: spinning");
        pty.Type(CtrlC);
        pty.WaitFor("^C");
        pty.Type("echo after\r");
        pty.WaitFor("after\r\n");
        pty.Type(CtrlA + "x");
        pty.WaitFor("osprey status=0");
        Assert.Equal(0, pty.WaitForExit());

        string typed = File.ReadAllText(transcript.Path);
        Assert.Contains("typed", typed);
        Assert.Contains("racy: counter", typed);
        InputRecording parsed = InputRecording.Parse(new StringReader(File.ReadAllText(recording.Path)));
        Assert.True(parsed.Terminal, "the recording does not say it was typed on a terminal");
        Assert.Equal(9UL, parsed.Seed);
        Assert.Contains(parsed.Events, e => e.Kind == InputEventKind.Halt);
        Assert.Contains(parsed.Events, e => e.Bytes.Contains((byte)3)); // the ^C, as a key like any other

        for (int i = 0; i < 2; i++)
        {
            (int status, string replayed, string stderr) = OspreyProcess.Run(["boot", "--cpus", "2", "--replay", recording.Path]);
            Assert.True(status == 0, stderr);
            Assert.Equal(typed, replayed);
        }
    }
}
