using System.Diagnostics;
using System.Globalization;
using Osprey.Bench.Guest;
using Osprey.Explore;
using Osprey.Kernel;
using Spectre.Console;

namespace Osprey.Bench.Insight;

/// <summary>
/// <c>Osprey.Bench insight [--cpus LIST] [--runs N] [--schedules N]</c>: what a deterministic
/// run costs, and how fast osprey explore goes. In process, on a fresh copy of the default disk
/// image per run:
/// <list type="bullet">
/// <item>the wall time of booting, running a program and halting, normally and under
/// <c>--seed 1</c> (the CPUs taking turns with a token, quanta of 16 to 16,383 instructions,
/// a stop before every user atomic), and their ratio;</item>
/// <item>explore's schedules per second on racy's correct mutex (nothing to find, so every
/// schedule runs to the end), and how many schedules and seconds it takes to find the planted
/// lost wake-up in the broken one, and kkv's destroy racing a blocking get with and without
/// the planted kernel bug (--kkv-planted-bug).</item>
/// </list>
/// Each figure is the best of N runs.
/// </summary>
internal static class InsightCommand
{
    private static readonly string[][] Programs =
    [
        ["forktest"],
        ["pipetest"],
        ["tasktest"],
        ["racy", "count", "1", "3000000"],
        ["racy", "count-atomic", "3", "20000"],
    ];

    public static int Run(IReadOnlyList<string> args)
    {
        (IReadOnlyList<int> cpuCounts, int runs, int schedules) = ParseArguments(args);
        var table = new Table().Border(TableBorder.Rounded).Title($"deterministic runs against normal ones, best of {runs}, wall time of boot + program + halt");
        table.AddColumn("program");
        foreach (int cpus in cpuCounts)
        {
            string c = cpus == 1 ? "1 CPU" : $"{cpus} CPUs";
            table.AddColumn(new TableColumn($"{c} normal").RightAligned());
            table.AddColumn(new TableColumn($"{c} --seed 1").RightAligned());
            table.AddColumn(new TableColumn($"{c} ratio").RightAligned());
        }
        foreach (string[] argv in Programs)
        {
            var cells = new List<string> { Markup.Escape(string.Join(' ', argv)) };
            foreach (int cpus in cpuCounts)
            {
                double normal = Best(runs, () => Boot(new KernelOptions { Cpus = cpus }, argv));
                double seeded = Best(runs, () => Boot(new KernelOptions { Cpus = cpus, Seed = 1 }, argv));
                cells.Add($"{normal:F0} ms");
                cells.Add($"{seeded:F0} ms");
                cells.Add($"{seeded / normal:F2}x");
            }
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);

        var explore = new Table().Border(TableBorder.Rounded).Title("osprey explore on 2 CPUs, points syscalls,atomics, bound 2");
        explore.AddColumn("program");
        explore.AddColumn(new TableColumn("schedules").RightAligned());
        explore.AddColumn(new TableColumn("seconds").RightAligned());
        explore.AddColumn(new TableColumn("schedules/s").RightAligned());
        explore.AddColumn("result");
        (string[] Argv, bool PlantedBug)[] explored =
        [
            (["racy", "mutex-fixed", "2"], false), (["racy", "mutex", "2"], false), (["racy", "desched", "5"], false),
            (["racy", "kkv", "2"], false), (["racy", "kkv", "2"], true),
        ];
        foreach ((string[] argv, bool planted) in explored)
        {
            var explorer = new Explorer(new ExploreSettings { Program = argv[0], Argv = argv, Schedules = schedules, KkvPlantedBug = planted }, TextWriter.Null);
            RunOutcome? failed = explorer.Explore();
            explore.AddRow(Markup.Escape(string.Join(' ', argv) + (planted ? " (--kkv-planted-bug)" : "")), explorer.Runs.ToString(CultureInfo.InvariantCulture),
                explorer.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), explorer.SchedulesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                Markup.Escape(failed == null ? "no failure" : $"{failed.Failure} ({failed.Schedule})"));
        }
        AnsiConsole.Write(explore);
        string command = $"dotnet run -c Release --project bench/Osprey.Bench -- insight --cpus {string.Join(',', cpuCounts)} --runs {runs} --schedules {schedules}";
        MachineReport.Print(RepositoryRoot.Locate(), qemu: null, [command]);
        return 0;
    }

    private static double Best(int runs, Func<double> measure)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
            best = Math.Min(best, measure());
        return best;
    }

    /// <summary>Milliseconds from building the kernel to its halt, running <paramref name="argv"/>; the program must exit 0.</summary>
    private static double Boot(KernelOptions options, string[] argv)
    {
        using TemporaryFile image = DefaultImage.Copy() ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing: build the repository first");
        var clock = Stopwatch.StartNew();
        using var kernel = new OspreyKernel(options with { DiskImage = image.Path, MemoryBytes = 64 << 20 });
        int status = kernel.Run(argv[0], argv);
        clock.Stop();
        if (status != 0)
            throw new InvalidOperationException($"{string.Join(' ', argv)} exited with status {status}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static (IReadOnlyList<int> Cpus, int Runs, int Schedules) ParseArguments(IReadOnlyList<string> args)
    {
        IReadOnlyList<int> cpus = [1, 3];
        int runs = 3, schedules = 200;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--cpus")
                cpus = OptionParsing.NextValue(args, ref i, arg).Split(',').Select(c =>
                    int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 8
                        ? n : throw new UsageException($"--cpus wants CPU counts 1..8, not '{c}'")).ToList();
            else if (arg == "--runs")
                runs = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, arg));
            else if (arg == "--schedules")
                schedules = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, arg));
            else
                throw new UsageException($"unknown argument '{arg}' to insight");
        }
        return (cpus, runs, schedules);
    }
}
