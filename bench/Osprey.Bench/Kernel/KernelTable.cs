using System.Globalization;
using Spectre.Console;

namespace Osprey.Bench.Kernel;

/// <summary>The kernel benchmarks' results beside xv6-on-QEMU's and the goals, with whether each goal is met.</summary>
internal static class KernelTable
{
    /// <summary>A cost in microseconds, in a unit that keeps three or so significant digits.</summary>
    public static string Format(double microseconds) => microseconds switch
    {
        >= 100_000 => (microseconds / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " s",
        >= 1_000 => (microseconds / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        >= 100 => microseconds.ToString("0", CultureInfo.InvariantCulture) + " µs",
        >= 10 => microseconds.ToString("0.0", CultureInfo.InvariantCulture) + " µs",
        _ => microseconds.ToString("0.00", CultureInfo.InvariantCulture) + " µs",
    };

    /// <summary>Prints the table; returns whether every goal that could be checked was met.</summary>
    public static bool Print(IReadOnlyList<KernelMeasurement> results, IReadOnlyList<int> cpuCounts, int runs)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"kernel-core benchmarks, best of {runs} run{(runs == 1 ? "" : "s")}, cost per operation");
        table.AddColumn("benchmark");
        foreach (int cpus in cpuCounts)
            table.AddColumn(new TableColumn(Cpus(cpus)).RightAligned());
        table.AddColumn(new TableColumn("xv6 on QEMU\n1 / 3 CPUs").RightAligned());
        table.AddColumn(new TableColumn("xv6 / osprey").RightAligned());
        table.AddColumn("goal");
        table.AddColumn("met");

        bool allMet = true;
        foreach (KernelMeasurement m in results)
        {
            KernelBenchmark b = m.Benchmark;
            var row = new List<string> { Markup.Escape(b.Title) };
            if (m.Unavailable is string why)
                row.AddRange(cpuCounts.Select((_, i) => i == 0 ? $"[yellow]{Markup.Escape(why)}[/]" : "-"));
            else
                row.AddRange(cpuCounts.Select(c => Cell(m, c)));
            row.Add(Markup.Escape(b.ReferenceText));
            row.Add(Speedups(m));
            row.Add(Markup.Escape(b.GoalText));
            row.Add(Verdict(m, results, cpuCounts, ref allMet));
            table.AddRow(row.ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]each benchmark's own rdtime measurement around its loop (boot and shutdown excluded); boot and usertests are the wall time of the whole osprey process, .NET start-up included[/]");
        AnsiConsole.MarkupLine("[grey]xv6 / osprey: how many times cheaper osprey is than xv6 on QEMU, on 1 and on 3 CPUs (xv6's boot: to a shell, from 0.36 s and 0.6 s; xv6's usertests: its own suite, not ours)[/]");
        return allMet;
    }

    private static string Cpus(int n) => n == 1 ? "1 CPU" : $"{n} CPUs";

    /// <summary>The best figure on <paramref name="cpus"/> CPUs, marked when a run of the suite failed there.</summary>
    private static string Cell(KernelMeasurement m, int cpus)
    {
        string figure = m.Microseconds.TryGetValue(cpus, out double us) ? Format(us) : "-";
        return m.Failures.ContainsKey(cpus) ? $"{figure} [red]failed[/]" : figure;
    }

    /// <summary>The met column: yes, no with the CPU counts that miss, or - when nothing could be checked.</summary>
    private static string Verdict(KernelMeasurement m, IReadOnlyList<KernelMeasurement> results, IReadOnlyList<int> cpuCounts, ref bool allMet)
    {
        if (m.Unavailable != null)
            return "-";
        if (m.Failures.Count > 0)
        {
            allMet = false;
            return "[red]no[/] (failed)";
        }
        KernelMeasurement? versus = results.FirstOrDefault(r => r.Benchmark.Name == m.Benchmark.Versus);
        var verdicts = cpuCounts
            .Select(c => (Cpus: c, Met: m.Benchmark.Meets(c, m.Microseconds[c], versus != null && versus.Microseconds.TryGetValue(c, out double v) ? v : null)))
            .Where(v => v.Met != null).ToList();
        var missed = verdicts.Where(v => v.Met == false).Select(v => Cpus(v.Cpus)).ToList();
        allMet &= missed.Count == 0;
        return verdicts.Count == 0 ? "-"
            : missed.Count == 0 ? "[green]yes[/]"
            : $"[red]no[/] ({string.Join(", ", missed)})";
    }

    private static string Speedups(KernelMeasurement m)
    {
        var ratios = new[] { 1, 3 }
            .Select(c => m.Benchmark.ReferenceFor(c) is double r && m.Microseconds.TryGetValue(c, out double us) && us > 0
                ? (r / us).ToString(r / us >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + "x"
                : "-")
            .ToList();
        return ratios.All(r => r == "-") ? "-" : string.Join(" / ", ratios);
    }
}
