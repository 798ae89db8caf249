using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Osprey.Bench;

/// <summary>
/// Runs the BenchmarkDotNet benchmarks in this assembly. The switcher does its own argument
/// parsing (<c>--filter</c>, <c>--list</c>, ...) and asks interactively when given none.
/// </summary>
internal static class MicroCommand
{
    public static int Run(string[] args)
    {
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroCommand).Assembly).Run(args);
        // A benchmark that failed validation or did not build must fail a script that runs this.
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
