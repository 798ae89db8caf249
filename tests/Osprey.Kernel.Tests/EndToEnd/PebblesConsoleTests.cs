using System.Diagnostics;
using System.IO.Pipes;
using System.Text;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The Pebbles console end to end (console_test), with the kernel echoing as it does for a
/// terminal in raw mode and keys typed one line at a time only when the program waits for
/// them: colors and cursor moves come out as ANSI escapes, readline edits with DEL and echoes
/// (the erase as "\b \b"), two readers queued at once get their lines in arrival order, and
/// getchar takes a key before its line ends. Once the program has moved the cursor the screen
/// is drawn with cursor moves, so a newline is a CUP escape, not "\n".
/// </summary>
public class PebblesConsoleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ColorsCursorReadlineReadersAndGetchar(int cpus)
    {
        (int status, string output, string diagnostics) = Session(cpus);
        Assert.True(status == 0, $"status {status}\n{output}\n{diagnostics}");
        Assert.Contains("(^_^)_console_test: END__SUCCESS", output);
        Assert.DoesNotContain("END__FAIL", output);
        Assert.Contains("\x1b[0;93;44myellow on blue", output); // FGND_YLLW | BGND_BLUE
        Assert.Contains("\x1b[H\x1b[2J", output);               // the first cursor move draws the screen
        Assert.Contains("\x1b[11;21HX", output);                 // set_cursor_pos(10, 20), then print
        Assert.Contains("helxo\b \b\b \blo", output);            // echo, and each DEL's erase
        Assert.DoesNotContain("panic", diagnostics);
    }

    /// <summary>Runs console_test, typing each answer when it asks; its status, the console output and the diagnostics.</summary>
    private static (int, string, string) Session(int cpus)
    {
        using TemporaryFile image = DefaultImage.Copy()!;
        using var keyboard = new AnonymousPipeServerStream(PipeDirection.Out);
        using var line = new AnonymousPipeClientStream(PipeDirection.In, keyboard.ClientSafePipeHandle);
        var console = new SynchronizedStream();
        var diagnostics = new StringWriter();
        using var kernel = new OspreyKernel(new KernelOptions
        {
            Cpus = cpus,
            DiskImage = image.Path,
            MemoryBytes = 64 << 20,
            ConsoleOutput = console,
            ConsoleInput = line,
            ConsoleEcho = true,
            ConsoleIsTerminal = true,
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        Task<int> run = Task.Run(() => kernel.Run("console_test", ["console_test"]));
        try
        {
            void WaitFor(string text)
            {
                var clock = Stopwatch.StartNew();
                while (!console.Text.Contains(text, StringComparison.Ordinal))
                {
                    Assert.True(clock.Elapsed < Deadline && !run.IsCompleted, $"never saw {text}:\n{console.Text}\n{diagnostics}");
                    Thread.Sleep(5);
                }
            }
            void Type(string keys)
            {
                keyboard.Write(Encoding.Latin1.GetBytes(keys));
                keyboard.Flush();
            }

            WaitFor("type a line: ");
            Type("helxo\x7f\x7flo\r");
            WaitFor("readline got hello");
            WaitFor("both readers waiting");
            Type("first\n");
            WaitFor("A got first");
            Type("second\n");
            WaitFor("B got second");
            WaitFor("press a key: ");
            Type("z");
            WaitFor("getchar got z");
            Assert.True(run.Wait(Deadline), console.Text);
        }
        finally
        {
            kernel.Halt();
            keyboard.Dispose(); // the end of input lets the kernel's input pump finish
        }
        return (run.Result, console.Text, diagnostics.ToString());
    }
}
