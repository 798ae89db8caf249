using System.Globalization;
using System.Text.RegularExpressions;
using Osprey.Bench.Guest;
using Osprey.Bench.Kernel;
using Spectre.Console;

namespace Osprey.Bench.Kkv;

/// <summary>
/// <c>Osprey.Bench kkv [--boots N] [--runs N] [--rounds N]</c>: the kernel key-value store's
/// throughput and wake-up latency. bench/kernel/kkv_bench runs under <c>osprey run --cpus P</c>
/// with P = 1..4 processes (one CPU each): put+get pairs per second on distinct keys (a bucket
/// each), on distinct keys with 1024 more pairs resident in each bucket (chain mode: every put
/// walks them under the lock), and on one hot key, with per-bucket locks and with
/// <c>--kkv-global-lock</c>, beside the
/// null-call control (two getpid calls a pair, no shared state of the store's). Each boot times
/// 1 + N runs of ROUNDS pairs a process and drops the first (the host's JIT is still compiling
/// the kernel then); a figure is the best run of the best boot. For every run the tool also
/// reads how much host CPU the kernel's threads used and how long they waited for a host core
/// (<see cref="KernelThreadClock"/>): pairs per host-CPU-second show whether the kernel itself
/// scales, the waiting share whether the host let it. The scaling lines give the ratio of the
/// medians of all runs beside the best runs' ratio. Two 1-CPU machines run side by side give the
/// host's own limit for two CPUs (<see cref="SideBySide"/>). Then the time from a put to the
/// blocked getter running, the median of many.
/// </summary>
internal static partial class KkvCommand
{
    private const int MaxProcesses = 4;
    private const int Wakeups = 200;

    private static readonly string[] Modes = ["null", "distinct", "chain", "hot"];

    /// <summary>
    /// One configuration's best run: pairs per second, pairs per host-CPU-second, the share of
    /// the run its kernel threads waited for a core, and the store's contended share; and the
    /// median pairs per second of all its runs (the best run alone rewards a lucky one).
    /// </summary>
    private readonly record struct Figure(double PerSecond, double PerCpuSecond, double Waiting, double Contended, double Median = 0);

    public static int Run(IReadOnlyList<string> args)
    {
        int boots = 2, runs = 5, rounds = 100_000;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--boots")
                boots = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, args[i]));
            else if (args[i] == "--runs")
                runs = Math.Min(OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, args[i])), 31);
            else if (args[i] == "--rounds")
                rounds = ParseRounds(OptionParsing.NextValue(args, ref i, args[i]));
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

            var table = new Table().AddColumns("processes = CPUs", "null call (control)", "distinct keys, per-bucket", "distinct keys, global lock",
                "distinct keys + 1024 resident, per-bucket", "distinct keys + 1024 resident, global lock", "hot key, per-bucket", "hot key, global lock");
            var figures = new Dictionary<(string, bool, int), Figure>();
            for (int p = 1; p <= MaxProcesses; p++)
            {
                var cells = new List<string> { p.ToString(CultureInfo.InvariantCulture) };
                foreach (string mode in Modes)
                {
                    foreach (bool global in mode == "null" ? new[] { false } : new[] { false, true })
                    {
                        Figure f = Best(root, osprey, boots, p, global, [p.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), mode, (runs + 1).ToString(CultureInfo.InvariantCulture)], commands);
                        figures[(mode, global, p)] = f;
                        cells.Add(Markup.Escape(mode == "null"
                            ? $"{f.PerSecond:N0} [{f.PerCpuSecond:N0}/cpu-s; waited {f.Waiting:P0}]"
                            : $"{f.PerSecond:N0} ({f.Contended:P1}) [{f.PerCpuSecond:N0}/cpu-s; waited {f.Waiting:P0}]"));
                    }
                }
                table.AddRow(cells.ToArray());
            }
            double apart = SideBySide(root, osprey, boots, [1.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), "distinct", (runs + 1).ToString(CultureInfo.InvariantCulture)], commands);
            (double wake, string wakeLine) = Wake(root, osprey, boots, commands);
            // A log has no width limit: keep the table's cells and each command on one line.
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = int.MaxValue;

            AnsiConsole.MarkupLine($"[bold]kkv: put+get pairs per second[/] (best run of {boots} boot(s) x {runs} runs of {rounds:N0} pairs per process, after a warm-up run each boot). " +
                "In round brackets: the share of the store's bucket-lock acquisitions that found the lock taken (--kkvstats). " +
                "In square brackets: pairs per second of host CPU the kernel's threads used in that run, and the share of the run they were runnable but waiting for a host core.");
            AnsiConsole.Write(table);
            foreach ((string mode, bool global, string name) in new[]
            {
                ("null", false, "null call"), ("distinct", false, "distinct keys, per-bucket locks"), ("distinct", true, "distinct keys, global lock"),
                ("chain", false, "distinct keys + 1024 resident, per-bucket locks"), ("chain", true, "distinct keys + 1024 resident, global lock"), ("hot", false, "hot key, per-bucket locks"),
            })
            {
                Figure one = figures[(mode, global, 1)], two = figures[(mode, global, 2)], four = figures[(mode, global, 4)];
                AnsiConsole.MarkupLine($"{name}: 2 CPUs / 1 CPU = [bold]{two.PerSecond / one.PerSecond:F2}x[/] (medians of all runs: {two.Median / one.Median:F2}x), 4 / 1 = {four.PerSecond / one.PerSecond:F2}x; " +
                    $"per host-CPU-second 2 / 1 = {two.PerCpuSecond / one.PerCpuSecond:F2}x (1.00x: the kernel's own cost per pair does not grow with CPUs)");
            }
            Figure alone = figures[("distinct", false, 1)], both = figures[("distinct", false, 2)];
            AnsiConsole.MarkupLine($"the host's own limit: two 1-CPU machines side by side (distinct keys, per-bucket locks) make {apart:N0} pairs per second together, " +
                $"[bold]{apart / alone.Median:F2}x[/] one 1-CPU machine (medians of all runs); one 2-CPU machine makes [bold]{both.Median / apart:F2}[/] of that");
            AnsiConsole.MarkupLine($"blocking get wake-up (rdtime before the put to rdtime after the getter's get returned, 2 CPUs): [bold]{wake:F1} us[/] (best median of {boots}; {Markup.Escape(wakeLine)})");
            MachineReport.Print(root, qemu: null, [$"make -s -C bench/kernel", .. buildCommands, mkfs, .. commands.Distinct()]);
            return 0;
        }
        catch (BenchmarkFailure e)
        {
            return e.Report();
        }
    }

    private static int ParseRounds(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 100_000_000
            ? n
            : throw new UsageException($"--rounds wants a whole number from 1 to 100000000, not '{text}'");

    private static string[] Arguments(OspreyCommand osprey, int cpus, bool global, string[] benchArgs) =>
        [.. osprey.Prefix, "run", "--cpus", cpus.ToString(CultureInfo.InvariantCulture), "--disk", KernelCommand.Image,
            "--kkvstats", .. global ? ["--kkv-global-lock"] : Array.Empty<string>(), "kkv_bench", .. benchArgs];

    /// <summary>Boots <paramref name="boots"/> times and keeps the best run after the first of each boot, with its host figures and the store's contended share in that boot.</summary>
    private static Figure Best(string root, OspreyCommand osprey, int boots, int cpus, bool global, string[] benchArgs, List<string> commands)
    {
        string[] arguments = Arguments(osprey, cpus, global, benchArgs);
        string command = HostProcess.Format(osprey.File, arguments);
        commands.Add(command);
        long pairs = (long)cpus * long.Parse(benchArgs[1], CultureInfo.InvariantCulture);
        Figure best = default;
        var all = new List<double>();
        for (int b = 0; b < boots; b++)
        {
            (ProcessResult run, IReadOnlyList<KernelThreadClock.Reading> lines) = KernelThreadClock.Run(osprey.File, arguments, root);
            if (run.ExitCode != 0 || !SummaryLine().IsMatch(run.Stdout))
                throw new BenchmarkFailure($"{command} exited with status {run.ExitCode}; it printed:\n{(run.Stdout + run.Stderr).TrimEnd()}");
            Match locks = LockLine().Match(run.Stderr);
            double contended = locks.Success && double.Parse(locks.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and var taken
                ? double.Parse(locks.Groups[2].Value, CultureInfo.InvariantCulture) / taken
                : 0;
            KernelThreadClock.Reading? before = null;
            foreach (KernelThreadClock.Reading r in lines)
            {
                Match m = RunLine().Match(r.Line);
                if (!m.Success)
                    continue;
                int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                double perSecond = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (index > 1)
                    all.Add(perSecond);
                if (index > 1 && before is { } start && r.OnCpu > start.OnCpu)
                {
                    double onCpu = r.OnCpu - start.OnCpu, waiting = r.Waiting - start.Waiting;
                    var f = new Figure(perSecond, pairs / onCpu, waiting / (onCpu + waiting), contended);
                    if (f.PerSecond > best.PerSecond)
                        best = f;
                }
                else if (index > 1 && perSecond > best.PerSecond)
                {
                    best = new Figure(perSecond, 0, 0, contended); // no host figures (not Linux)
                }
                before = r;
            }
            Console.Error.WriteLine($"{command}: {SummaryLine().Match(run.Stdout).Value}; {contended:P2} of lock acquisitions contended");
        }
        return best with { Median = Median(all) };
    }

    /// <summary>
    /// Two 1-CPU machines at once, each with one process on its own keys: what this host gives two
    /// independent programs of the kind, with nothing shared but the host (its caches, memory and
    /// the other tenants of its cores). A 2-CPU machine that reached it would lose nothing to its
    /// own sharing. The median over the boots of the sum of the two machines' median runs.
    /// </summary>
    private static double SideBySide(string root, OspreyCommand osprey, int boots, string[] benchArgs, List<string> commands)
    {
        string[] arguments = Arguments(osprey, 1, false, benchArgs);
        string command = HostProcess.Format(osprey.File, arguments);
        commands.Add($"two at once: {command}");
        var sums = new List<double>();
        for (int b = 0; b < boots; b++)
        {
            Task<ProcessResult>[] pair = [Task.Run(() => HostProcess.Run(osprey.File, arguments, root)), Task.Run(() => HostProcess.Run(osprey.File, arguments, root))];
            double sum = 0;
            foreach (ProcessResult run in Task.WhenAll(pair).GetAwaiter().GetResult())
            {
                var rates = RunLine().Matches(run.Stdout).Where(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 1)
                    .Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
                if (run.ExitCode != 0 || rates.Count == 0)
                    throw new BenchmarkFailure($"{command} (two at once) exited with status {run.ExitCode}; it printed:\n{(run.Stdout + run.Stderr).TrimEnd()}");
                sum += Median(rates);
            }
            Console.Error.WriteLine($"two at once: {command}: {sum:F0} pairs per second together (sum of the medians)");
            sums.Add(sum);
        }
        return Median(sums);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n == 0 ? 0 : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>The wake-up latency: the lowest median of the boots, and that boot's line.</summary>
    private static (double Us, string Line) Wake(string root, OspreyCommand osprey, int boots, List<string> commands)
    {
        string[] arguments = Arguments(osprey, 2, false, ["1", Wakeups.ToString(CultureInfo.InvariantCulture), "wake"]);
        string command = HostProcess.Format(osprey.File, arguments);
        commands.Add(command);
        (double us, string line) best = (double.MaxValue, "");
        for (int b = 0; b < boots; b++)
        {
            ProcessResult run = HostProcess.Run(osprey.File, arguments, root);
            Match m = WakeLine().Match(run.Stdout);
            if (run.ExitCode != 0 || !m.Success)
                throw new BenchmarkFailure($"{command} exited with status {run.ExitCode}; it printed:\n{(run.Stdout + run.Stderr).TrimEnd()}");
            Console.Error.WriteLine($"{command}: {m.Value}");
            double us = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (us < best.us)
                best = (us, m.Value);
        }
        return best;
    }

    [GeneratedRegex(@"kkv (?:distinct|chain|hot|null) \d+ run (\d+): (\d+) pairs per second")]
    private static partial Regex RunLine();

    [GeneratedRegex(@"kkv (?:distinct|chain|hot|null) \d+: \d+ pairs per second[^\n]*")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"kkv: locks? kkv\.(?:bucket|global): (\d+) acquisitions, (\d+) contended")]
    private static partial Regex LockLine();

    [GeneratedRegex(@"kkv wake: ([\d.]+) us per wake-up[^\n]*")]
    private static partial Regex WakeLine();
}
