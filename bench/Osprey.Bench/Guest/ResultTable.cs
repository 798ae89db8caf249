using System.Globalization;
using Spectre.Console;

namespace Osprey.Bench.Guest;

/// <summary>The guest benchmarks' results as a table, with geometric means when there is more than one program.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<Measurement> results, int runs, bool withQemu)
    {
        // Spectre assumes 80 columns when it cannot ask a terminal, which would truncate
        // numbers in a log file; a log has no width limit.
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"guest benchmarks, best of {runs} run{(runs == 1 ? "" : "s")}");
        table.AddColumn("program");
        foreach (string heading in new[] { "instructions", "osprey ms", "osprey MIPS", "qemu ms", "qemu MIPS", "osprey/qemu" })
            table.AddColumn(new TableColumn(heading).RightAligned());

        foreach (Measurement m in results)
        {
            table.AddRow(
                Markup.Escape(m.Program),
                m.Instructions.ToString("N0", CultureInfo.InvariantCulture),
                Number(m.OspreyMilliseconds),
                Number(m.OspreyMips),
                Number(m.QemuMilliseconds),
                Number(m.QemuMips),
                Times(m.Ratio));
        }
        if (results.Count > 1)
        {
            table.AddEmptyRow();
            table.AddRow("[bold]geometric mean[/]", "", "",
                Number(GeometricMean(results.Select(r => (double?)r.OspreyMips))), "",
                Number(GeometricMean(results.Select(r => r.QemuMips))),
                Times(GeometricMean(results.Select(r => r.Ratio))));
        }
        AnsiConsole.Write(table);
        if (!withQemu)
            AnsiConsole.MarkupLine("[grey]qemu-riscv64 not run (--no-qemu)[/]");
        AnsiConsole.MarkupLine("[grey]osprey ms: the guest's execution only, from osprey's --stats line[/]");
        if (withQemu)
        {
            AnsiConsole.MarkupLine("[grey]qemu ms: the whole qemu-riscv64 process; qemu MIPS: osprey's instruction count over it[/]");
            AnsiConsole.MarkupLine("[grey]osprey/qemu: how many times longer osprey took[/]");
        }
        AnsiConsole.MarkupLine($"[grey]{results.Count} program(s); every run's output matched{(withQemu ? " across osprey and qemu-riscv64" : "")}:[/]");
        foreach (Measurement m in results)
            AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m.Output)}[/]");
    }

    private static string Number(double? value) =>
        value is double v ? v.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Times(double? ratio) =>
        ratio is double r ? r.ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";

    private static double? GeometricMean(IEnumerable<double?> values)
    {
        var present = values.ToList();
        if (present.Any(v => v is not > 0))
            return null;
        return Math.Exp(present.Average(v => Math.Log(v!.Value)));
    }
}
