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
            AnsiConsole.Profile.Width = 200;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"guest benchmarks, best of {runs} run{(runs == 1 ? "" : "s")}");
        table.AddColumn("program");
        string[] headings = ["instructions", "interp ms", "interp MIPS", "jit ms", "jit MIPS", "qemu ms", "qemu MIPS",
            "interp/qemu", "jit/qemu", "jit blocks", "compile ms", "µs/block"];
        foreach (string heading in headings)
            table.AddColumn(new TableColumn(heading).RightAligned());

        foreach (Measurement m in results)
        {
            table.AddRow(
                Markup.Escape(m.Program),
                m.Instructions.ToString("N0", CultureInfo.InvariantCulture),
                Number(m.InterpreterMilliseconds),
                Number(m.InterpreterMips),
                Number(m.JitMilliseconds),
                Number(m.JitMips),
                Number(m.QemuMilliseconds),
                Number(m.QemuMips),
                Times(m.InterpreterRatio),
                Times(m.JitRatio),
                m.Jit?.Blocks.ToString(CultureInfo.InvariantCulture) ?? "-",
                Number(m.Jit?.CompileMilliseconds),
                Number(m.Jit?.PerBlockMicroseconds));
        }
        if (results.Count > 1)
        {
            table.AddEmptyRow();
            table.AddRow("[bold]geometric mean[/]", "", "",
                Number(GeometricMean(results.Select(r => (double?)r.InterpreterMips))), "",
                Number(GeometricMean(results.Select(r => (double?)r.JitMips))), "",
                Number(GeometricMean(results.Select(r => r.QemuMips))),
                Times(GeometricMean(results.Select(r => r.InterpreterRatio))),
                Times(GeometricMean(results.Select(r => r.JitRatio))),
                results.Sum(r => r.Jit?.Blocks ?? 0).ToString(CultureInfo.InvariantCulture) + " in all",
                Number(results.Sum(r => r.Jit?.CompileMilliseconds ?? 0)) + " in all", "");
        }
        AnsiConsole.Write(table);
        if (!withQemu)
            AnsiConsole.MarkupLine("[grey]qemu-riscv64 not run (--no-qemu)[/]");
        AnsiConsole.MarkupLine("[grey]interp, jit: osprey emulate --jit off and --jit on; ms is the guest's execution only, from osprey's --stats line[/]");
        AnsiConsole.MarkupLine("[grey]jit blocks, compile ms, µs/block: from the JIT's run shown; compiling runs on a background thread beside the guest[/]");
        if (withQemu)
        {
            AnsiConsole.MarkupLine("[grey]qemu ms: the whole qemu-riscv64 process; qemu MIPS: osprey's instruction count over it[/]");
            AnsiConsole.MarkupLine("[grey]interp/qemu, jit/qemu: how many times longer osprey took[/]");
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
