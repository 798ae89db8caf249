using System.Globalization;
using Osprey.Bench.Guest;

namespace Osprey.Bench.Kernel;

/// <summary>
/// Runs each kernel benchmark under <c>osprey run --cpus C [--disk IMAGE] PROGRAM ARGS</c>
/// several times per CPU count and keeps the best. A benchmark's cost is what it measured
/// itself with rdtime around its loop, so boot and shutdown are not in it; boot and the
/// usertests runs are measured from outside, as the wall time of the whole process.
///
/// Every run of a loop benchmark or of boot must exit 0, and a loop benchmark must print its
/// result line for the rounds asked for; anything else is a failure that stops the tool. A
/// suite that fails is different: its run is still timed, the failure is recorded for the
/// table and its FAIL lines are printed, and the other benchmarks go on, because a suite
/// under development fails often and the rest of the table is still worth having.
/// </summary>
internal sealed class KernelRunner(string root, OspreyCommand osprey, string image, int runs, string? jit = null)
{
    private const int FailureLinesShown = 20;

    public IReadOnlyList<string> Arguments(KernelBenchmark benchmark, string cpus) =>
        [.. osprey.Prefix, "run", "--cpus", cpus, .. jit == null ? Array.Empty<string>() : ["--jit", jit], .. benchmark.OnBenchDisk ? ["--disk", image] : Array.Empty<string>(),
         .. benchmark.BootOptions ?? [], benchmark.Program, .. benchmark.Arguments];

    /// <summary>Runs per CPU count: the long optional benchmarks run once.</summary>
    public int RunsOf(KernelBenchmark benchmark) => benchmark.Optional ? 1 : runs;

    public KernelMeasurement Measure(KernelBenchmark benchmark, IReadOnlyList<int> cpuCounts)
    {
        var best = new Dictionary<int, double>();
        var failures = new Dictionary<int, int>();
        int count = RunsOf(benchmark);
        foreach (int cpus in cpuCounts)
        {
            for (int i = 1; i <= count && !failures.ContainsKey(cpus); i++)
            {
                double microseconds = RunOnce(benchmark, cpus, out string detail, out int? failedStatus);
                Console.Error.WriteLine($"{benchmark.Name}: {cpus} CPU{(cpus == 1 ? "" : "s")} run {i}/{count}: {detail}");
                best[cpus] = Math.Min(best.GetValueOrDefault(cpus, double.MaxValue), microseconds);
                if (failedStatus is int status)
                    failures[cpus] = status;
            }
        }
        return new KernelMeasurement(benchmark, best) { Failures = failures };
    }

    private double RunOnce(KernelBenchmark benchmark, int cpus, out string detail, out int? failedStatus)
    {
        IReadOnlyList<string> arguments = Arguments(benchmark, cpus.ToString(CultureInfo.InvariantCulture));
        ProcessResult run = HostProcess.Run(osprey.File, arguments, root);
        string command = HostProcess.Format(osprey.File, arguments);
        failedStatus = null;
        if (benchmark.Kind == KernelBenchmarkKind.Suite)
        {
            detail = $"{run.Wall.TotalSeconds:F2} s, the whole process";
            if (run.ExitCode != 0)
            {
                failedStatus = run.ExitCode;
                detail += $", FAILED with status {run.ExitCode}:\n{FailureLines(run)}";
            }
            return run.Wall.TotalMicroseconds;
        }
        if (run.ExitCode != 0)
            throw new BenchmarkFailure($"{command} exited with status {run.ExitCode}; it printed:\n{Output(run)}");
        if (benchmark.IsWallTime)
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

    /// <summary>What a failed suite said about its failures (its lines naming FAIL), or else how its output ended.</summary>
    private static string FailureLines(ProcessResult run)
    {
        string[] lines = Output(run).Split('\n');
        string[] failing = lines.Where(l => l.Contains("FAIL", StringComparison.Ordinal)).ToArray();
        IEnumerable<string> shown = failing.Length > 0 ? failing.Take(FailureLinesShown) : lines.TakeLast(FailureLinesShown);
        return string.Join('\n', shown.Select(l => "  " + l.TrimEnd('\r')));
    }
}
