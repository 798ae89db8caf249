using System.CommandLine;
using Osprey.Explore;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey replay [--trace FILE] SCHEDULE PROGRAM ARGS</c>: runs the program once under a
/// schedule that osprey explore printed, with its console here, writes the run's timeline (a
/// Chrome trace for ui.perfetto.dev, on the virtual clock: the same file every time), and says
/// whether the run failed and how. Exits with the program's status (124 after a deadlock or the
/// instruction limit, 134 after a panic); 2 for bad input.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var schedule = new Argument<string>("schedule") { Description = "A schedule as osprey explore prints it, e.g. 2cpu/all/17@1,40@y" };
        var trace = new Option<string?>("--trace")
        {
            HelpName = "FILE.json",
            Description = $"Where the run's trace goes (Chrome trace-event JSON for ui.perfetto.dev; default {DefaultTrace("PROGRAM")})",
        };
        var shared = new ScheduleOptions();
        var command = new Command("replay", "Run a program once under a schedule osprey explore printed, exactly as explore ran it, with a trace of the run");
        command.Options.Add(trace);
        command.Arguments.Add(schedule);
        shared.AddTo(command, cpusDefault: null);
        command.SetAction(parse =>
        {
            if (Schedule.Parse(parse.GetValue(schedule)!, out string? error) is not { } s)
            {
                Console.Error.WriteLine($"osprey: {error}");
                return CommandLine.UsageError;
            }
            if (shared.Settings(parse) is not { } settings)
                return CommandLine.UsageError;
            string tracePath = parse.GetValue(trace) ?? DefaultTrace(settings.Program);
            FileStream traceFile;
            try
            {
                traceFile = new FileStream(tracePath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Console.Error.WriteLine($"osprey: --trace {tracePath}: {e.Message}");
                return CommandLine.UsageError;
            }
            RunOutcome outcome;
            using (traceFile)
            {
                using Stream stdout = Console.OpenStandardOutput();
                outcome = ScheduleRunner.Run(settings with { Cpus = s.Cpus }, s, stdout, Console.Error, traceFile);
                stdout.Flush();
            }
            Console.Error.WriteLine(outcome.Failure == null
                ? $"replay: the run passed ({outcome.Instructions} user instructions)"
                : $"replay: the run failed: {outcome.Failure}");
            Console.Error.WriteLine($"replay: trace of the run in {tracePath} (open it in ui.perfetto.dev)");
            return outcome.Status & 0xFF;
        });
        return command;
    }

    /// <summary>The trace's file when --trace is not given: named after the program, in the current directory.</summary>
    public static string DefaultTrace(string program) => $"replay-{Path.GetFileName(program)}.json";
}
