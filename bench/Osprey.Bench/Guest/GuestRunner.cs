namespace Osprey.Bench.Guest;

/// <summary>
/// Runs one guest program several times under osprey's interpreter, osprey with the JIT, and
/// qemu-riscv64, taking turns (so a burst of load on a shared machine falls on all three), and
/// keeps the best time of each. Every run's output must match the first one's exactly: a
/// benchmark whose emulators disagree measures nothing, so that is a failure, not a footnote.
/// </summary>
internal sealed class GuestRunner(string root, OspreyCommand osprey, string? qemu, int runs)
{
    public IReadOnlyList<string> Commands(string program)
    {
        var commands = new List<string>
        {
            HostProcess.Format(osprey.File, osprey.Arguments(program, jit: false)),
            HostProcess.Format(osprey.File, osprey.Arguments(program, jit: true)),
        };
        if (qemu != null)
            commands.Add(HostProcess.Format(qemu, [program]) + "   (with an empty environment)");
        return commands;
    }

    public Measurement Measure(string program)
    {
        string name = Path.GetFileName(program);
        string? expected = null;
        OspreyStats? interpreter = null, jit = null;
        double? qemuBest = null;
        for (int i = 1; i <= runs; i++)
        {
            interpreter = Best(interpreter, RunOsprey(name, program, jit: false, i, ref expected));
            jit = Best(jit, RunOsprey(name, program, jit: true, i, ref expected));
            if (interpreter.Instructions != jit.Instructions)
                throw new BenchmarkFailure($"{name}: the interpreter retired {interpreter.Instructions} instructions, the JIT {jit.Instructions}");
            if (qemu == null)
                continue;
            ProcessResult run = HostProcess.Run(qemu, [program], root, emptyEnvironment: true);
            Check(name, "qemu-riscv64", run, ref expected);
            double ms = run.Wall.TotalMilliseconds;
            Progress(name, "qemu-riscv64", i, ms);
            qemuBest = Math.Min(qemuBest ?? double.MaxValue, ms);
        }
        return new Measurement(name, expected!, interpreter!.Instructions, interpreter.WallMilliseconds,
            jit!.WallMilliseconds, jit.Jit, qemuBest);
    }

    private OspreyStats RunOsprey(string name, string program, bool jit, int i, ref string? expected)
    {
        string tier = jit ? "osprey --jit on" : "osprey --jit off";
        ProcessResult run = HostProcess.Run(osprey.File, osprey.Arguments(program, jit), root);
        Check(name, tier, run, ref expected);
        OspreyStats stats = OspreyStats.Find(run.Stderr)
            ?? throw new BenchmarkFailure($"{name}: {tier} printed no stats line; stderr was:\n{run.Stderr.TrimEnd()}");
        if (jit && stats.Jit == null)
            throw new BenchmarkFailure($"{name}: {tier} printed no jit line; stderr was:\n{run.Stderr.TrimEnd()}");
        Progress(name, tier, i, stats.WallMilliseconds);
        return stats;
    }

    private static OspreyStats Best(OspreyStats? best, OspreyStats run)
    {
        if (best != null && run.Instructions != best.Instructions)
            throw new BenchmarkFailure($"osprey retired {run.Instructions} instructions, but {best.Instructions} in an earlier run");
        return best == null || run.WallMilliseconds < best.WallMilliseconds ? run : best;
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
