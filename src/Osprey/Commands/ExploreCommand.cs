using System.CommandLine;
using Osprey.Explore;
using Osprey.Kernel.Sched;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey explore [--schedules N] [--points KINDS] [--bound K] [--cpus C] PROGRAM ARGS</c>:
/// runs the program deterministically under many schedules (see <see cref="Explorer"/>) and
/// stops at the first that fails, printing it and the command that replays it. Exit 0 when
/// none failed, 1 when one did, 2 for bad input.
/// </summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var schedules = new Option<int>("--schedules") { HelpName = "N", Description = "The most schedules to run", DefaultValueFactory = _ => 1000 };
        schedules.Within(1, 10_000_000);
        var points = new Option<string>("--points")
        {
            HelpName = "KINDS",
            Description = "Where to preempt: syscalls (system calls and yields), locks (kernel lock acquire and release), atomics (user AMOs and LR/SC), all; or several, joined by commas (kernel locks multiply the points many times over: add them to look for races in the kernel)",
            DefaultValueFactory = _ => "syscalls,atomics",
        };
        var bound = new Option<int>("--bound") { HelpName = "K", Description = "Forced preemptions tried systematically (iterative deepening); random schedules past that", DefaultValueFactory = _ => 2 };
        bound.Within(0, 8);
        var shared = new ScheduleOptions();
        var command = new Command("explore", "Run a program under many deterministic schedules, preempting it at chosen points, until one fails (nonzero exit, FAIL output, panic, lockdep report, deadlock, instruction limit); print that schedule and how to replay it");
        command.Options.Add(schedules);
        command.Options.Add(points);
        command.Options.Add(bound);
        shared.AddTo(command, cpusDefault: 2);
        command.SetAction(parse =>
        {
            if (Schedule.ParsePoints(parse.GetValue(points)!) is not { } kinds)
            {
                Console.Error.WriteLine($"osprey: '{parse.GetValue(points)}' is not a kind of preemption point (syscalls, locks, atomics, all)");
                return CommandLine.UsageError;
            }
            if (shared.Settings(parse) is not { } settings)
                return CommandLine.UsageError;
            settings = settings with { Points = kinds, Schedules = parse.GetValue(schedules), Bound = parse.GetValue(bound) };
            return Run(settings);
        });
        return command;
    }

    private static int Run(ExploreSettings settings)
    {
        Console.Error.WriteLine($"explore: {string.Join(' ', settings.Argv)} on {settings.Cpus} CPUs, points {Schedule.PointsName(settings.Points)}, bound {settings.Bound}, up to {settings.Schedules} schedules");
        var explorer = new Explorer(settings, Console.Error);
        RunOutcome? failed = explorer.Explore();
        string rate = $"{explorer.Runs} schedules in {explorer.Elapsed.TotalSeconds:F1} s ({explorer.SchedulesPerSecond:F1} schedules/s)";
        if (failed == null)
        {
            Console.WriteLine($"explore: no failure in {rate}");
            return 0;
        }
        Console.WriteLine($"explore: schedule {explorer.Runs} failed: {failed.Failure}");
        Console.WriteLine($"explore: {rate}");
        Console.WriteLine($"explore: schedule {failed.Schedule}");
        Console.WriteLine($"explore: replay it with: osprey replay {ScheduleOptions.ReplayArguments(settings, failed.Schedule)}");
        Console.WriteLine($"explore: the replay writes a trace of that interleaving to {ReplayCommand.DefaultTrace(settings.Program)} (or --trace FILE.json), for ui.perfetto.dev");
        string[] tail = failed.Console.TrimEnd('\n').Split('\n').TakeLast(10).ToArray();
        if (tail.Length > 0 && tail[0].Length > 0)
        {
            Console.WriteLine("explore: the failing run's console ended with:");
            foreach (string line in tail)
                Console.WriteLine($"  {line}");
        }
        return 1;
    }
}
