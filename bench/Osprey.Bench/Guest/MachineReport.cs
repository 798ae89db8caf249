using System.Runtime.InteropServices;
using Spectre.Console;

namespace Osprey.Bench.Guest;

/// <summary>What the numbers were measured on and with, so that two tables can be compared fairly.</summary>
internal static class MachineReport
{
    public static void Print(string root, string? qemu, IReadOnlyList<string> commands)
    {
        AnsiConsole.WriteLine();
        Line("machine", $"{Environment.ProcessorCount} cores, {CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString()}");
        Line("system", RuntimeInformation.OSDescription);
        Line("runtime", RuntimeInformation.FrameworkDescription);
        if (qemu != null)
            Line("qemu", QemuVersion(qemu));
        AnsiConsole.MarkupLine($"[bold]commands[/] (from {Markup.Escape(root)}):");
        foreach (string command in commands)
            AnsiConsole.MarkupLine($"  {Markup.Escape(command)}");
    }

    private static void Line(string label, string text) =>
        AnsiConsole.MarkupLine($"[bold]{label}[/]: {Markup.Escape(text)}");

    /// <summary>The CPU's name from /proc/cpuinfo, on Linux; null elsewhere.</summary>
    private static string? CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
            return null;
        string? line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string QemuVersion(string qemu)
    {
        ProcessResult run = HostProcess.Run(qemu, ["--version"], Environment.CurrentDirectory);
        return run.Stdout.Split('\n').FirstOrDefault()?.Trim() ?? "unknown version";
    }
}
