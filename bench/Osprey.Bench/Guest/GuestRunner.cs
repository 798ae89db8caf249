namespace Osprey.Bench.Guest;

/// <summary>
/// Runs one guest program several times under osprey and qemu-riscv64 and keeps the best
/// time of each. Every run's output must match the first one's exactly: a benchmark whose
/// emulators disagree measures nothing, so that is a failure, not a footnote.
/// </summary>
internal sealed class GuestRunner(string root, OspreyCommand osprey, string? qemu, int runs)
{
    public IReadOnlyList<string> Commands(string program)
    {
        var commands = new List<string> { HostProcess.Format(osprey.File, osprey.Arguments(program)) };
        if (qemu != null)
            commands.Add(HostProcess.Format(qemu, [program]) + "   (with an empty environment)");
        return commands;
    }

    public Measurement Measure(string program)
    {
        string name = Path.GetFileName(program);
        string? expected = null;
        OspreyStats? best = null;
        for (int i = 1; i <= runs; i++)
        {
            ProcessResult run = HostProcess.Run(osprey.File, osprey.Arguments(program), root);
            Check(name, "osprey", run, ref expected);
            OspreyStats stats = OspreyStats.Find(run.Stderr)
                ?? throw new BenchmarkFailure($"{name}: osprey printed no stats line; stderr was:\n{run.Stderr.TrimEnd()}");
            if (best != null && stats.Instructions != best.Instructions)
                throw new BenchmarkFailure($"{name}: osprey retired {stats.Instructions} instructions, but {best.Instructions} in an earlier run");
            Progress(name, "osprey", i, stats.WallMilliseconds);
            if (best == null || stats.WallMilliseconds < best.WallMilliseconds)
                best = stats;
        }

        double? qemuBest = null;
        for (int i = 1; qemu != null && i <= runs; i++)
        {
            ProcessResult run = HostProcess.Run(qemu, [program], root, emptyEnvironment: true);
            Check(name, "qemu-riscv64", run, ref expected);
            double ms = run.Wall.TotalMilliseconds;
            Progress(name, "qemu-riscv64", i, ms);
            qemuBest = Math.Min(qemuBest ?? double.MaxValue, ms);
        }
        return new Measurement(name, expected!, best!.Instructions, best.WallMilliseconds, qemuBest);
    }

    /// <summary>Fails unless the run exited 0 and printed exactly what the first run printed.</summary>
    private static void Check(string name, string emulator, ProcessResult run, ref string? expected)
    {
        string output = run.Stdout.TrimEnd('\n');
        if (run.ExitCode != 0)
            throw new BenchmarkFailure($"{name}: {emulator} exited with status {run.ExitCode}; stderr was:\n{run.Stderr.TrimEnd()}");
        if (output.Length == 0)
            throw new BenchmarkFailure($"{name}: {emulator} printed nothing; a guest benchmark prints its result");
        expected ??= output;
        if (output != expected)
            throw new BenchmarkFailure($"{name}: outputs differ; {emulator} printed\n  {output}\nbut osprey's first run printed\n  {expected}");
    }

    private void Progress(string name, string emulator, int run, double milliseconds) =>
        Console.Error.WriteLine($"{name}: {emulator} run {run}/{runs}: {milliseconds:F1} ms");
}
