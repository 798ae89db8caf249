using Spectre.Console;

namespace Osprey.Bench.Guest;

/// <summary>A benchmark could not be built, run or trusted (say, two emulators disagreed): exit status 1.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message)
{
    /// <summary>
    /// Prints the failure on stderr, so it is not mistaken for results by whatever reads stdout,
    /// and unwrapped, so the message stays one line; returns the exit status.
    /// </summary>
    public int Report()
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        stderr.Profile.Width = int.MaxValue;
        stderr.MarkupLine($"[red bold]{Program.Name}: {Markup.Escape(Message)}[/]");
        return 1;
    }
}
