using System.Globalization;

namespace Osprey.Bench.Kernel;

/// <summary>
/// One kernel-core benchmark: the program, its round count, what it prints, xv6-riscv's cost
/// under QEMU for comparison and the goal Osprey aims at. Costs are in microseconds per
/// operation; boot and the usertests runs are measured from outside, as the wall time of a
/// whole <c>osprey run</c> process (see <see cref="KernelBenchmarkKind"/>).
/// </summary>
/// <param name="Name">What the command line and the table call it.</param>
/// <param name="Program">The program on the disk (bench/kernel/PROGRAM.c, or user/PROGRAM.c for a suite).</param>
/// <param name="Rounds">Its argument: rounds in one run, chosen for roughly 0.3 to 2 seconds of work; 0 when it takes none.</param>
/// <param name="Label">What the program's result line starts with; null for those measured from outside.</param>
/// <param name="Reference">xv6-riscv on QEMU, µs on 1 and on 3 CPUs (the low end of a range); null where there is none.</param>
/// <param name="ReferenceText">The reference as the table shows it.</param>
/// <param name="Speedup">The goal as a factor: at least this many times cheaper than the reference (or than <paramref name="Versus"/>).</param>
/// <param name="Limit">The goal as a bound, µs: cheaper than this.</param>
/// <param name="Kind">How it is measured.</param>
/// <param name="LimitCpus">The one CPU count <paramref name="Limit"/> is for; null for every count.</param>
/// <param name="SuiteArguments">A suite's arguments after the program name.</param>
/// <param name="Optional">Long: run only when asked for (by name, or with --full), and once per CPU count.</param>
/// <param name="NoGoal">What the goal column says when there is no goal.</param>
/// <param name="BootOptions">Options of <c>osprey run</c> the benchmark boots with (a teaching switch such as --no-cow, more memory).</param>
/// <param name="ExtraArguments">The program's arguments after the round count.</param>
/// <param name="Versus">The benchmark <paramref name="Speedup"/> compares with on the same CPU count, instead of xv6's figure.</param>
internal sealed record KernelBenchmark(
    string Name,
    string Program,
    int Rounds,
    string? Label,
    (double? OneCpu, double? ThreeCpus) Reference,
    string ReferenceText,
    double? Speedup,
    double? Limit,
    KernelBenchmarkKind Kind = KernelBenchmarkKind.Loop,
    int? LimitCpus = null,
    IReadOnlyList<string>? SuiteArguments = null,
    bool Optional = false,
    string NoGoal = "-",
    IReadOnlyList<string>? BootOptions = null,
    IReadOnlyList<string>? ExtraArguments = null,
    string? Versus = null)
{
    public const string BootProgram = "nop";
    public const string FullUsertests = "usertests-full";

    public static readonly IReadOnlyList<KernelBenchmark> All =
    [
        new("getpid", "getpid_bench", 2_000_000, "getpid", (14, 22), "14 / 22 µs", Speedup: 10, Limit: null),
        new("fork", "fork_bench", 5_000, "fork+exit+wait", (490, 900), "490 / 900 µs", Speedup: 5, Limit: null),
        new("exec", "exec_bench", 2_000, "fork+exec+exit+wait", (null, null), "-", Speedup: null, Limit: null, NoGoal: "- (compare with fork)"),
        // Fork's copy of an address space with MB of touched heap, copy-on-write and --no-cow.
        ForkWithHeap(1, 5_000), ForkWithHeap(16, 1_000, versus: "fork-16m-nocow"), ForkWithHeap(64, 300),
        ForkWithHeap(0, 5_000, noCow: true), ForkWithHeap(1, 1_000, noCow: true), ForkWithHeap(16, 100, noCow: true),
        ForkWithHeap(64, 30, noCow: true),
        new("exec-nocow", "exec_bench", 2_000, "fork+exec+exit+wait", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "- (compare with exec)", BootOptions: ["--no-cow"]),
        new("sbrk", "sbrk_bench", 200_000, "sbrk(+4096)+sbrk(-4096)", (50, 75), "50 / 75 µs", Speedup: 10, Limit: null),
        new("sbrk64", "lazysbrk_bench", 2_000, "sbrk(+64 MB)+sbrk(-64 MB) untouched", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "- (compare with sbrk64-lazy)"),
        new("sbrk64-lazy", "lazysbrk_bench", 100_000, "sbrk(+64 MB)+sbrk(-64 MB) untouched", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "no frame taken (the program checks)", BootOptions: ["--lazy-sbrk"]),
        new("pipe", "pipe_bench", 20_000, "pipe ping-pong", (290, 610), "290 / 610 µs", Speedup: 10, Limit: null),
        new("pipestream", "pipestream", 10, "pipe stream", (1_280_000, 3_200_000), "1.28 / 3.2 s per MB", Speedup: 10, Limit: null),
        new("create", "create_bench", 1_500, "create+write+close+unlink", (28_000, null), "28 ms (1 CPU)", Speedup: 10, Limit: null),
        new("thread", "thread_bench", 20_000, "thread_fork+vanish", (null, null), "-", Speedup: null, Limit: null, NoGoal: "- (xv6 has no threads)"),
        new("yield-10", "yield_bench", 200_000, "yield(tid), 10 others", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "flat in the thread count", ExtraArguments: ["10"]),
        new("yield-1000", "yield_bench", 200_000, "yield(tid), 1000 others", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "flat in the thread count", ExtraArguments: ["1000"], BootOptions: ["--max-threads", "1100"]),
        new("yield-10000", "yield_bench", 200_000, "yield(tid), 10000 others", (null, null), "-", Speedup: null, Limit: null,
            NoGoal: "flat in the thread count", ExtraArguments: ["10000"], BootOptions: ["--max-threads", "10100"]),
        new("boot", BootProgram, 0, null, (360_000, 600_000), "0.36 / 0.6–1.0 s", Speedup: null, Limit: 300_000, KernelBenchmarkKind.Boot),
        new("usertests", "usertests", 0, null, (55_000_000, 140_000_000), "55 / 140–196 s", Speedup: null, Limit: 15_000_000,
            KernelBenchmarkKind.Suite, LimitCpus: 3, SuiteArguments: ["-q"]),
        new(FullUsertests, "usertests", 0, null, (241_000_000, 763_000_000), "241 / 763 s", Speedup: null, Limit: null,
            KernelBenchmarkKind.Suite, SuiteArguments: [], Optional: true),
    ];

    /// <summary>
    /// fork+exit+wait by a process with <paramref name="mb"/> MB of touched heap (fork_bench ROUNDS MB),
    /// named fork-Nm or fork-Nm-nocow; the 64 MB ones boot with 256 MB so that --no-cow's copy fits.
    /// </summary>
    private static KernelBenchmark ForkWithHeap(int mb, int rounds, bool noCow = false, string? versus = null) =>
        new($"fork-{mb}m{(noCow ? "-nocow" : "")}", "fork_bench", rounds, $"fork+exit+wait {mb} MB", (null, null), "-",
            Speedup: versus == null ? null : 10, Limit: null, NoGoal: noCow ? "- (compare with copy-on-write)" : "-",
            BootOptions: [.. noCow ? ["--no-cow"] : Array.Empty<string>(), .. mb >= 64 ? ["--memory", "256"] : Array.Empty<string>()],
            ExtraArguments: [mb.ToString(CultureInfo.InvariantCulture)], Versus: versus);

    /// <summary>Measured from outside, as a whole process's wall time.</summary>
    public bool IsWallTime => Kind != KernelBenchmarkKind.Loop;

    /// <summary>Runs on the bench disk (build/bench/kernel.img); a suite runs on the default disk instead.</summary>
    public bool OnBenchDisk => Kind != KernelBenchmarkKind.Suite;

    /// <summary>What the table's first column says.</summary>
    public string Title => Kind switch
    {
        KernelBenchmarkKind.Boot => "boot + run nop + halt",
        KernelBenchmarkKind.Suite => string.Join(' ', [Program, .. Arguments]) + " (whole run)",
        _ => BootOptions is [_, ..] ? $"{Label} ({string.Join(' ', BootOptions)})" : Label!,
    };

    public string GoalText =>
        Speedup is double s ? $"≥ {s:0}x cheaper than {Versus ?? "xv6"}"
        : Limit is double l ? $"< {KernelTable.Format(l)}" + (LimitCpus is int c ? $" on {c} CPUs" : "")
        : NoGoal;

    public static KernelBenchmark? Find(string name) => All.FirstOrDefault(b => b.Name == name);

    /// <summary>The arguments after the program name.</summary>
    public IReadOnlyList<string> Arguments => Kind switch
    {
        KernelBenchmarkKind.Loop => [Rounds.ToString(CultureInfo.InvariantCulture), .. ExtraArguments ?? []],
        KernelBenchmarkKind.Suite => SuiteArguments ?? [],
        _ => [],
    };

    /// <summary>xv6's cost on this many CPUs; only 1 and 3 were measured.</summary>
    public double? ReferenceFor(int cpus) => cpus switch
    {
        1 => Reference.OneCpu,
        3 => Reference.ThreeCpus,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="microseconds"/> on <paramref name="cpus"/> CPUs meets the goal;
    /// null when there is no goal to meet there. <paramref name="versus"/> is the figure of
    /// <see cref="Versus"/> on the same count, when it was measured.
    /// </summary>
    public bool? Meets(int cpus, double microseconds, double? versus = null)
    {
        if (Limit is double limit)
            return LimitCpus is int only && only != cpus ? null : microseconds < limit;
        double? reference = Versus == null ? ReferenceFor(cpus) : versus;
        if (Speedup is double speedup && reference is double r)
            return microseconds * speedup <= r;
        return null;
    }
}
