using Spectre.Console;

namespace Osprey.Bench.Guest;

/// <summary>
/// The guest benchmarks: builds bench/guest and the osprey command, runs every program under
/// both emulators, insists their outputs agree, and prints the best times as a table.
/// </summary>
internal static class GuestCommand
{
    private const string GuestDir = "bench/guest";

    public static int Run(GuestOptions options)
    {
        try
        {
            string root = RepositoryRoot.Locate();
            string? qemu = options.Qemu ? FindQemu() : null;
            string make = HostProcess.FindOnPath("make") ?? throw new BenchmarkFailure("make is not on PATH (sudo apt-get install make)");
            IReadOnlyList<string> programs = BuildGuests(make, root, options.Programs);
            OspreyCommand osprey = OspreyCommand.Build(root, out IReadOnlyList<string> buildCommands);

            var runner = new GuestRunner(root, osprey, qemu, options.Runs);
            var results = programs.Select(runner.Measure).ToList();

            ResultTable.Print(results, options.Runs, qemu != null);
            string anyProgram = Path.Combine(Path.GetDirectoryName(programs[0]) ?? "", "NAME");
            MachineReport.Print(root, qemu, [$"make -s -C {GuestDir}", .. buildCommands, .. runner.Commands(anyProgram)]);
            return 0;
        }
        catch (BenchmarkFailure e)
        {
            return e.Report();
        }
    }

    private static string FindQemu() =>
        HostProcess.FindOnPath("qemu-riscv64")
        ?? throw new BenchmarkFailure("qemu-riscv64 is not on PATH (sudo apt-get install qemu-user), or pass --no-qemu");

    /// <summary>Runs make, then asks it which binaries it builds; returns their paths relative to the root.</summary>
    private static IReadOnlyList<string> BuildGuests(string make, string root, IReadOnlyList<string> wanted)
    {
        List<string> all = GuestBuild.MakeAndList(make, root, GuestDir);
        if (wanted.Count == 0)
            return all;

        var byName = all.ToDictionary(p => Path.GetFileName(p), StringComparer.Ordinal);
        return wanted.Select(name => byName.TryGetValue(name, out string? path)
            ? path
            : throw new UsageException($"unknown guest program '{name}' (have: {string.Join(", ", byName.Keys)})")).ToList();
    }
}
