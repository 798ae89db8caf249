using System.Globalization;
using Osprey.Bench.Guest;

namespace Osprey.Bench.Kernel;

/// <summary>
/// The kernel command's arguments: <c>[--runs N] [--cpus LIST] [--full] [--jit off|on|forced] [BENCHMARK...]</c>.
/// --full adds the optional (long) benchmarks, the full usertests run, to those asked for;
/// --jit is passed to every <c>osprey run</c> (without it, osprey's default, the JIT on).
/// </summary>
internal sealed record KernelBenchOptions(int Runs, IReadOnlyList<int> Cpus, IReadOnlyList<string> Benchmarks, bool Full = false, string? Jit = null)
{
    public const int DefaultRuns = GuestOptions.DefaultRuns;
    public const int MaxCpus = 8;
    public static readonly IReadOnlyList<int> DefaultCpus = [1, 3];

    public static KernelBenchOptions Parse(IReadOnlyList<string> args)
    {
        int runs = DefaultRuns;
        IReadOnlyList<int> cpus = DefaultCpus;
        var benchmarks = new List<string>();
        bool full = false;
        string? jit = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--runs" || arg.StartsWith("--runs=", StringComparison.Ordinal))
                runs = OptionParsing.ParseRuns(arg == "--runs" ? OptionParsing.NextValue(args, ref i, arg) : arg["--runs=".Length..]);
            else if (arg == "--cpus" || arg.StartsWith("--cpus=", StringComparison.Ordinal))
                cpus = ParseCpus(arg == "--cpus" ? OptionParsing.NextValue(args, ref i, arg) : arg["--cpus=".Length..]);
            else if (arg == "--full")
                full = true;
            else if (arg == "--jit" || arg.StartsWith("--jit=", StringComparison.Ordinal))
            {
                jit = arg == "--jit" ? OptionParsing.NextValue(args, ref i, arg) : arg["--jit=".Length..];
                if (jit is not ("off" or "on" or "forced"))
                    throw new UsageException($"--jit wants off, on or forced, not '{jit}'");
            }
            else if (arg.StartsWith('-'))
                throw new UsageException($"unknown option '{arg}'");
            else if (KernelBenchmark.Find(arg) == null)
                throw new UsageException($"unknown kernel benchmark '{arg}' (have: {string.Join(", ", KernelBenchmark.All.Select(b => b.Name))})");
            else if (!benchmarks.Contains(arg))
                benchmarks.Add(arg);
        }
        return new KernelBenchOptions(runs, cpus, benchmarks, full, jit);
    }

    /// <summary>
    /// The benchmarks to run, in the table's order: those named (all but the optional ones
    /// when none are), plus the optional ones with --full.
    /// </summary>
    public IReadOnlyList<KernelBenchmark> Selected() =>
        KernelBenchmark.All
            .Where(b => (Benchmarks.Count == 0 ? !b.Optional : Benchmarks.Contains(b.Name)) || (Full && b.Optional))
            .ToList();

    /// <summary>A comma-separated list of CPU counts, each 1..8, without repeats, kept in the order given.</summary>
    private static IReadOnlyList<int> ParseCpus(string text)
    {
        var cpus = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxCpus)
                throw new UsageException($"--cpus wants CPU counts from 1 to {MaxCpus} separated by commas (e.g. 1,3), not '{text}'");
            if (cpus.Contains(n))
                throw new UsageException($"--cpus names {n} twice");
            cpus.Add(n);
        }
        return cpus;
    }
}
