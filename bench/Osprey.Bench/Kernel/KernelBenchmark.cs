using System.Globalization;

namespace Osprey.Bench.Kernel;

/// <summary>
/// One kernel-core benchmark: the program on the bench disk, its round count, what it prints,
/// xv6-riscv's cost under QEMU for comparison and the goal Osprey aims at. Costs are in
/// microseconds per operation; boot is the one measured from outside, as the wall time of a
/// whole <c>osprey run ... nop</c> process.
/// </summary>
/// <param name="Name">What the command line and the table call it.</param>
/// <param name="Program">The program on the disk (built from bench/kernel/PROGRAM.c).</param>
/// <param name="Rounds">Its argument: rounds in one run, chosen for roughly 0.3 to 2 seconds of work; 0 for boot.</param>
/// <param name="Label">What the program's result line starts with; null for boot, which prints nothing.</param>
/// <param name="Reference">xv6-riscv on QEMU, µs on 1 and on 3 CPUs (the low end of a range); null where there is none.</param>
/// <param name="ReferenceText">The reference as the table shows it.</param>
/// <param name="Speedup">The goal as a factor: at least this many times cheaper than the reference.</param>
/// <param name="Limit">The goal as a bound, µs: cheaper than this.</param>
internal sealed record KernelBenchmark(
    string Name,
    string Program,
    int Rounds,
    string? Label,
    (double OneCpu, double ThreeCpus)? Reference,
    string ReferenceText,
    double? Speedup,
    double? Limit)
{
    public const string BootProgram = "nop";

    public static readonly IReadOnlyList<KernelBenchmark> All =
    [
        new("getpid", "getpid_bench", 2_000_000, "getpid", (14, 22), "14 / 22 µs", Speedup: 10, Limit: null),
        new("fork", "fork_bench", 5_000, "fork+exit+wait", (490, 900), "490 / 900 µs", Speedup: 5, Limit: null),
        new("exec", "exec_bench", 2_000, "fork+exec+exit+wait", null, "-", Speedup: null, Limit: null),
        new("sbrk", "sbrk_bench", 200_000, "sbrk(+4096)+sbrk(-4096)", (50, 75), "50 / 75 µs", Speedup: 10, Limit: null),
        new("pipe", "pipe_bench", 20_000, "pipe ping-pong", (290, 610), "290 / 610 µs", Speedup: 10, Limit: null),
        new("pipestream", "pipestream", 10, "pipe stream", (1_280_000, 3_200_000), "1.28 / 3.2 s per MB", Speedup: 10, Limit: null),
        new("boot", BootProgram, 0, null, (360_000, 600_000), "0.36 / 0.6–1.0 s", Speedup: null, Limit: 300_000),
    ];

    public bool IsBoot => Label == null;

    /// <summary>What the table's first column says.</summary>
    public string Title => IsBoot ? "boot + run nop + halt" : Label!;

    public string GoalText =>
        Speedup is double s ? $"≥ {s:0}x cheaper than xv6"
        : Limit is double l ? $"< {KernelTable.Format(l)}"
        : "- (compare with fork)";

    public static KernelBenchmark? Find(string name) => All.FirstOrDefault(b => b.Name == name);

    /// <summary>The arguments after the program name.</summary>
    public IReadOnlyList<string> Arguments => IsBoot ? [] : [Rounds.ToString(CultureInfo.InvariantCulture)];

    /// <summary>xv6's cost on this many CPUs; only 1 and 3 were measured.</summary>
    public double? ReferenceFor(int cpus) => (Reference, cpus) switch
    {
        ((double one, _), 1) => one,
        ((_, double three), 3) => three,
        _ => null,
    };

    /// <summary>Whether <paramref name="microseconds"/> on <paramref name="cpus"/> CPUs meets the goal; null when there is no goal to meet there.</summary>
    public bool? Meets(int cpus, double microseconds)
    {
        if (Limit is double limit)
            return microseconds < limit;
        if (Speedup is double speedup && ReferenceFor(cpus) is double reference)
            return microseconds * speedup <= reference;
        return null;
    }
}
