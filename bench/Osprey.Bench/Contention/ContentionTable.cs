using System.Globalization;
using Spectre.Console;

namespace Osprey.Bench.Contention;

/// <summary>The contention benchmark's table and its goals.</summary>
internal static class ContentionTable
{
    public static void Print(IReadOnlyList<ContentionMeasurement> results)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Rounded).Title("kalloc contention: one run each, the whole boot-run-halt timed");
        foreach (string column in new[] { "workload", "allocator", "CPUs" })
            table.AddColumn(column);
        foreach (string column in new[] { "wall s", "page ops/s", "kmem acquisitions", "contended", "spins", "steals" })
            table.AddColumn(new TableColumn(column).RightAligned());
        table.AddColumn("result");
        foreach (ContentionMeasurement m in results)
        {
            table.AddRow(
                Markup.Escape(m.Workload), m.Allocator, N(m.Cpus),
                m.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
                N((long)m.OperationsPerSecond),
                N(m.Acquisitions),
                $"{N(m.Contended)} ({(m.ContendedShare * 100).ToString("0.00", CultureInfo.InvariantCulture)}%)",
                N(m.Spins),
                N(m.Steals),
                Markup.Escape(m.Verdict));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]page ops: frame allocations plus frees at the front door, for the whole run; kmem: the kmem lock, or all kmem.cpuN locks summed; spins: failed test-and-sets[/]");
        Goals(results);
    }

    private static void Goals(IReadOnlyList<ContentionMeasurement> results)
    {
        foreach (ContentionMeasurement m in results.Where(r => r.Allocator == "percpu" && r.Cpus == 3))
            Goal($"{m.Workload}: percpu at 3 CPUs, kmem contended under 1% of acquisitions", m.ContendedShare < 0.01, $"{(m.ContendedShare * 100).ToString("0.000", CultureInfo.InvariantCulture)}%");
        ContentionMeasurement? one = results.FirstOrDefault(r => r.Workload == "stressmem" && r.Allocator == "percpu" && r.Cpus == 1);
        ContentionMeasurement? two = results.FirstOrDefault(r => r.Workload == "stressmem" && r.Allocator == "percpu" && r.Cpus == 2);
        if (one != null && two != null && one.OperationsPerSecond > 0)
        {
            double ratio = two.OperationsPerSecond / one.OperationsPerSecond;
            Goal("stressmem: percpu page ops/s at 2 CPUs at least 1.6x its 1-CPU figure", ratio >= 1.6, ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x");
        }
        AnsiConsole.MarkupLine("[grey]segtree against freelist per operation: micro --filter '*FramePolicyBenchmarks*'[/]");
    }

    private static void Goal(string what, bool met, string figure) =>
        AnsiConsole.MarkupLine($"{Markup.Escape(what)}: {Markup.Escape(figure)} {(met ? "[green]met[/]" : "[red]not met[/]")}");

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
