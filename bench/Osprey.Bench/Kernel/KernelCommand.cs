using Osprey.Bench.Guest;
using Spectre.Console;

namespace Osprey.Bench.Kernel;

/// <summary>
/// The kernel-core benchmarks: builds bench/kernel and the osprey command, puts the programs on
/// a disk image, runs each under <c>osprey run</c> on every CPU count asked for, and prints the
/// best costs beside xv6-on-QEMU's and the goals. The usertests rows run on the default disk
/// the build makes from user/, when usertests is among its files.
/// </summary>
internal static class KernelCommand
{
    private const string KernelDir = "bench/kernel";
    private const string UserDir = "user";
    internal static readonly string Image = Path.Combine("build", "bench", "kernel.img");

    public static int Run(KernelBenchOptions options)
    {
        try
        {
            string root = RepositoryRoot.Locate();
            string make = HostProcess.FindOnPath("make") ?? throw new BenchmarkFailure("make is not on PATH (sudo apt-get install make)");
            IReadOnlyList<KernelBenchmark> benchmarks = options.Selected();
            IReadOnlyList<string> programs = BuildPrograms(make, root);
            // This build also makes the default disk image (build/fs.img) from user/.
            OspreyCommand osprey = OspreyCommand.Build(root, out IReadOnlyList<string> buildCommands);
            string mkfsCommand = MakeImage(root, osprey, programs);

            var runner = new KernelRunner(root, osprey, Image, options.Runs, options.Jit);
            var results = benchmarks
                .Select(b => !b.OnBenchDisk && MissingFromDefaultImage(make, root, b.Program) is string why
                    ? KernelMeasurement.NotAvailable(b, why)
                    : runner.Measure(b, options.Cpus))
                .ToList();

            bool met = KernelTable.Print(results, options.Cpus, options.Runs);
            // A log has no width limit: keep each command on one line, pasteable.
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = int.MaxValue;
            string cpuList = string.Join(", ", options.Cpus);
            IEnumerable<string> runCommands = benchmarks.Select(b => HostProcess.Format(osprey.File, runner.Arguments(b, "C")) + $"   (C = {cpuList})");
            MachineReport.Print(root, qemu: null, [$"make -s -C {KernelDir}", .. buildCommands, mkfsCommand, .. runCommands]);
            AnsiConsole.MarkupLine(met ? "[green]every goal met[/]" : "[yellow]some goals not met (see the met column)[/]");
            if (results.FirstOrDefault(r => r.Failures.Count > 0) is { } failed)
                throw new BenchmarkFailure($"{failed.Benchmark.Title} failed (its FAIL lines are above, with its runs)");
            return 0;
        }
        catch (BenchmarkFailure e)
        {
            return e.Report();
        }
    }

    /// <summary>Runs make, then asks it which binaries it built; returns their paths relative to the root.</summary>
    internal static IReadOnlyList<string> BuildPrograms(string make, string root)
    {
        List<string> programs = GuestBuild.MakeAndList(make, root, KernelDir);
        var names = programs.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        if (KernelBenchmark.All.FirstOrDefault(b => b.OnBenchDisk && !names.Contains(b.Program)) is { } missing)
            throw new BenchmarkFailure($"{KernelDir}/Makefile does not build {missing.Program}, which the {missing.Name} benchmark runs");
        return programs;
    }

    /// <summary>Writes the bench disk image, every program in its root directory; returns the command.</summary>
    internal static string MakeImage(string root, OspreyCommand osprey, IReadOnlyList<string> programs)
    {
        Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName(Image)!));
        string[] arguments = [.. osprey.Prefix, "mkfs", Image, .. programs];
        ProcessResult made = HostProcess.Run(osprey.File, arguments, root);
        string command = HostProcess.Format(osprey.File, arguments);
        if (made.ExitCode != 0)
            throw new BenchmarkFailure($"{command} failed:\n{made.Stdout}{made.Stderr}".TrimEnd());
        return command;
    }

    /// <summary>
    /// Null when <paramref name="program"/> is on the default disk image (make in user/ lists the
    /// image's files); otherwise what the table says instead of a figure.
    /// </summary>
    private static string? MissingFromDefaultImage(string make, string root, string program)
    {
        ProcessResult listed = HostProcess.Run(make, ["-s", "-C", UserDir, "image-files"], root);
        bool onImage = listed.ExitCode == 0
            && listed.Stdout.Split('\n', StringSplitOptions.TrimEntries).Any(f => Path.GetFileName(f) == program)
            && File.Exists(Path.Combine(root, "build", "fs.img"));
        return onImage ? null : $"{program} not built";
    }
}
