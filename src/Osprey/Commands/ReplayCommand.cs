using System.CommandLine;
using Osprey.Explore;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey replay SCHEDULE PROGRAM ARGS</c>: runs the program once under a schedule that
/// osprey explore printed, with its console here, and says whether the run failed and how.
/// Exits with the program's status (124 after a deadlock or the instruction limit, 134 after a
/// panic); 2 for bad input.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var schedule = new Argument<string>("schedule") { Description = "A schedule as osprey explore prints it, e.g. 2cpu/all/17@1,40@y" };
        var shared = new ScheduleOptions();
        var command = new Command("replay", "Run a program once under a schedule osprey explore printed, exactly as explore ran it");
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
            using Stream stdout = Console.OpenStandardOutput();
            RunOutcome outcome = ScheduleRunner.Run(settings with { Cpus = s.Cpus }, s, stdout, Console.Error);
            stdout.Flush();
            Console.Error.WriteLine(outcome.Failure == null
                ? $"replay: the run passed ({outcome.Instructions} user instructions)"
                : $"replay: the run failed: {outcome.Failure}");
            return outcome.Status & 0xFF;
        });
        return command;
    }
}
