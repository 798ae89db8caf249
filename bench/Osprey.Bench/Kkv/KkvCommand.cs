using System.Globalization;
using System.Text.RegularExpressions;
using Osprey.Bench.Guest;
using Osprey.Bench.Kernel;
using Spectre.Console;

namespace Osprey.Bench.Kkv;

/// <summary>
/// <c>Osprey.Bench kkv [--runs N] [--rounds N]</c>: the kernel key-value store's throughput and
/// wake-up latency. bench/kernel/kkv_bench runs under <c>osprey run --cpus P</c> with P = 1..4
/// processes (one CPU each): put+get pairs per second on distinct keys (a bucket each) and on
/// one hot key, with per-bucket locks and with <c>--kkv-global-lock</c>; then the time from a
/// put to the blocked getter running. Each figure is the best of N runs.
/// </summary>
internal static partial class KkvCommand
{
    private const int MaxProcesses = 4;

    public static int Run(IReadOnlyList<string> args)
    {
        int runs = 3, rounds = 20000;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--runs")
                runs = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, args[i]));
            else if (args[i] == "--rounds")
                rounds = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, args[i]));
            else
                throw new UsageException($"unknown kkv option '{args[i]}'");
        }
        try
        {
            string root = RepositoryRoot.Locate();
            string make = HostProcess.FindOnPath("make") ?? throw new BenchmarkFailure("make is not on PATH (sudo apt-get install make)");
            IReadOnlyList<string> programs = KernelCommand.BuildPrograms(make, root);
            OspreyCommand osprey = OspreyCommand.Build(root, out IReadOnlyList<string> buildCommands);
            string mkfs = KernelCommand.MakeImage(root, osprey, programs);
            var commands = new List<string>();

            var table = new Table().AddColumns("processes = CPUs", "distinct keys, per-bucket", "distinct keys, global lock", "hot key, per-bucket", "hot key, global lock");
            var distinct = new Dictionary<(int, bool), double>();
            for (int p = 1; p <= MaxProcesses; p++)
            {
                var cells = new List<string> { p.ToString(CultureInfo.InvariantCulture) };
                foreach (string mode in new[] { "distinct", "hot" })
                {
                    foreach (bool global in new[] { false, true })
                    {
                        (double best, double contended) = Best(root, osprey, runs, p, global, [p.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), mode], commands, PairsLine(), max: true);
                        if (mode == "distinct")
                            distinct[(p, global)] = best;
                        cells.Add($"{best:N0} ({contended:P1})");
                    }
                }
                table.AddRow(cells.ToArray());
            }
            (double wake, _) = Best(root, osprey, runs, 2, false, ["1", "50", "wake"], commands, WakeLine(), max: false);

            AnsiConsole.MarkupLine($"[bold]kkv: put+get pairs per second[/] (best of {runs}, {rounds} pairs per process; in brackets the share of bucket-lock acquisitions that found the lock taken, from --kkvstats, in that run)");
            AnsiConsole.Write(table);
            foreach (bool global in new[] { false, true })
                AnsiConsole.MarkupLine($"distinct keys, {(global ? "global lock" : "per-bucket locks")}: 2 CPUs / 1 CPU = {distinct[(2, global)] / distinct[(1, global)]:F2}x, 4 / 1 = {distinct[(4, global)] / distinct[(1, global)]:F2}x");
            AnsiConsole.MarkupLine($"blocking get wake-up (put to the getter running, 2 CPUs): {wake:F1} us (best of {runs} means of 50)");
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = int.MaxValue;
            MachineReport.Print(root, qemu: null, [$"make -s -C bench/kernel", .. buildCommands, mkfs, .. commands.Distinct()]);
            return 0;
        }
        catch (BenchmarkFailure e)
        {
            return e.Report();
        }
    }

    /// <summary>
    /// Runs kkv_bench <paramref name="runs"/> times and keeps the best figure (the highest, or the
    /// lowest), with the share of the store's lock acquisitions that were contended in that run.
    /// </summary>
    private static (double Best, double Contended) Best(string root, OspreyCommand osprey, int runs, int cpus, bool global, string[] benchArgs, List<string> commands, Regex line, bool max)
    {
        string[] arguments = [.. osprey.Prefix, "run", "--cpus", cpus.ToString(CultureInfo.InvariantCulture), "--disk", KernelCommand.Image,
            "--kkvstats", .. global ? ["--kkv-global-lock"] : Array.Empty<string>(), "kkv_bench", .. benchArgs];
        string command = HostProcess.Format(osprey.File, arguments);
        commands.Add(command);
        double best = max ? 0 : double.MaxValue, contended = 0;
        for (int i = 0; i < runs; i++)
        {
            ProcessResult run = HostProcess.Run(osprey.File, arguments, root);
            Match m = line.Match(run.Stdout);
            if (run.ExitCode != 0 || !m.Success)
                throw new BenchmarkFailure($"{command} exited with status {run.ExitCode}; it printed:\n{(run.Stdout + run.Stderr).TrimEnd()}");
            double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            Match locks = LockLine().Match(run.Stderr);
            double share = locks.Success && double.Parse(locks.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and var taken
                ? double.Parse(locks.Groups[2].Value, CultureInfo.InvariantCulture) / taken
                : 0;
            Console.Error.WriteLine($"{command}: {m.Value}; {share:P2} of lock acquisitions contended");
            if (max ? value > best : value < best)
                (best, contended) = (value, share);
        }
        return (best, contended);
    }

    [GeneratedRegex(@"kkv (?:distinct|hot) \d+: (\d+) pairs per second")]
    private static partial Regex PairsLine();

    [GeneratedRegex(@"kkv: locks? kkv\.(?:bucket|global): (\d+) acquisitions, (\d+) contended")]
    private static partial Regex LockLine();

    [GeneratedRegex(@"kkv wake: ([\d.]+) us per wake-up")]
    private static partial Regex WakeLine();
}
