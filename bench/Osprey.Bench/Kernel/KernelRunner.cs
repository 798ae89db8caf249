using System.Globalization;
using Osprey.Bench.Guest;

namespace Osprey.Bench.Kernel;

/// <summary>
/// Runs each kernel benchmark under <c>osprey run --cpus C --disk IMAGE PROGRAM N</c> several
/// times per CPU count and keeps the best. A benchmark's cost is what it measured itself with
/// rdtime around its loop, so boot and shutdown are not in it; boot is measured from outside,
/// as the wall time of a whole run of nop. Every run must exit 0, and a benchmark must print
/// its result line for the rounds asked for; anything else is a failure.
/// </summary>
internal sealed class KernelRunner(string root, OspreyCommand osprey, string image, int runs)
{
    public IReadOnlyList<string> Arguments(KernelBenchmark benchmark, string cpus) =>
        [.. osprey.Prefix, "run", "--cpus", cpus, "--disk", image, benchmark.Program, .. benchmark.Arguments];

    public KernelMeasurement Measure(KernelBenchmark benchmark, IReadOnlyList<int> cpuCounts)
    {
        var best = new Dictionary<int, double>();
        foreach (int cpus in cpuCounts)
        {
            for (int i = 1; i <= runs; i++)
            {
                double microseconds = RunOnce(benchmark, cpus, out string detail);
                Console.Error.WriteLine($"{benchmark.Name}: {cpus} CPU{(cpus == 1 ? "" : "s")} run {i}/{runs}: {detail}");
                best[cpus] = Math.Min(best.GetValueOrDefault(cpus, double.MaxValue), microseconds);
            }
        }
        return new KernelMeasurement(benchmark, best);
    }

    private double RunOnce(KernelBenchmark benchmark, int cpus, out string detail)
    {
        IReadOnlyList<string> arguments = Arguments(benchmark, cpus.ToString(CultureInfo.InvariantCulture));
        ProcessResult run = HostProcess.Run(osprey.File, arguments, root);
        string command = HostProcess.Format(osprey.File, arguments);
        if (run.ExitCode != 0)
            throw new BenchmarkFailure($"{command} exited with status {run.ExitCode}; it printed:\n{Output(run)}");
        if (benchmark.IsBoot)
        {
            detail = $"{run.Wall.TotalMilliseconds:F1} ms, the whole process";
            return run.Wall.TotalMicroseconds;
        }

        ResultLine result = ResultLine.Find(run.Stdout)
            ?? throw new BenchmarkFailure($"{command} printed no result line; it printed:\n{Output(run)}");
        if (result.Label != benchmark.Label || result.Rounds != benchmark.Rounds)
            throw new BenchmarkFailure($"{command} reported {result.Rounds} rounds of '{result.Label}', not {benchmark.Rounds} of '{benchmark.Label}'");
        detail = $"{KernelTable.Format(result.MicrosecondsPerOp)} per operation, {result.Seconds:F2} s in the guest, {run.Wall.TotalSeconds:F2} s in all";
        return result.MicrosecondsPerOp;
    }

    private static string Output(ProcessResult run) => (run.Stdout + run.Stderr).TrimEnd();
}
