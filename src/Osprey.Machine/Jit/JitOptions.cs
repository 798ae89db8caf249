namespace Osprey.Machine.Jit;

/// <summary>
/// How the harts of one machine use the JIT tier. The environment variable
/// <see cref="ModeVariable"/> (off, on or forced) sets the default mode, so a test suite can
/// run every machine it builds under each tier without changing the tests.
/// </summary>
public sealed record JitOptions
{
    /// <summary>The environment variable that gives the default mode: off, on or forced.</summary>
    public const string ModeVariable = "OSPREY_JIT";

    /// <summary>
    /// Sets <see cref="SharedCache"/> from the environment: "shared" (the default) or "hart",
    /// so the two can be compared by a benchmark without a switch of their own.
    /// </summary>
    public const string CacheVariable = "OSPREY_JIT_CACHE";

    /// <summary>Tuning knobs for experiments and benchmarks: the threshold and the block size limit.</summary>
    public const string ThresholdVariable = "OSPREY_JIT_THRESHOLD";
    public const string BlockVariable = "OSPREY_JIT_BLOCK";

    /// <summary>Entries into a block (by a jump, or a return from the kernel) before it is translated.</summary>
    public const int DefaultThreshold = 64;

    public static readonly JitOptions Interpreter = new() { Mode = JitMode.Off };

    private static JitOptions? _default;

    /// <summary>The environment's options (<see cref="FromEnvironment"/>), read once.</summary>
    public static JitOptions Default => _default ??= FromEnvironment();

    public JitMode Mode { get; init; } = JitMode.On;

    /// <summary>Entries before translation in <see cref="JitMode.On"/>; <see cref="JitMode.Forced"/> uses 1.</summary>
    public int Threshold { get; init; } = DefaultThreshold;

    /// <summary>
    /// True: the harts of one <see cref="Memory.PhysicalMemory"/> share one code cache (a block
    /// translated on one hart runs on all). False: each hart translates for itself.
    /// </summary>
    public bool SharedCache { get; init; } = true;

    /// <summary>The most guest instructions one translation covers (the region grows from its entry until then).</summary>
    public int MaxBlockInstructions { get; init; } = RegionBuilder.MaxInstructions;

    /// <summary>Where to print each translated block beside the code it became (<c>--jit-dump</c>); null for nowhere.</summary>
    public TextWriter? Dump { get; init; }

    public int EffectiveThreshold => Mode == JitMode.Forced ? 1 : Math.Clamp(Threshold, 1, short.MaxValue);

    /// <summary>The options the environment asks for (<see cref="ModeVariable"/>, <see cref="CacheVariable"/>), else the defaults.</summary>
    public static JitOptions FromEnvironment()
    {
        string? mode = Environment.GetEnvironmentVariable(ModeVariable);
        string? cache = Environment.GetEnvironmentVariable(CacheVariable);
        return new JitOptions
        {
            Mode = string.IsNullOrEmpty(mode) ? JitMode.On : ParseMode(mode)
                ?? throw new ArgumentException($"{ModeVariable}={mode}: expected off, on or forced"),
            Threshold = Number(ThresholdVariable, DefaultThreshold),
            MaxBlockInstructions = Number(BlockVariable, RegionBuilder.MaxInstructions),
            SharedCache = cache is null or "" or "shared" ? true
                : cache == "hart" ? false
                : throw new ArgumentException($"{CacheVariable}={cache}: expected shared or hart"),
        };
    }

    private static int Number(string variable, int otherwise)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
            return otherwise;
        return int.TryParse(text, out int n) && n >= 1 ? n : throw new ArgumentException($"{variable}={text}: expected a positive number");
    }

    /// <summary>"off", "on" or "forced" as a mode; null for anything else.</summary>
    public static JitMode? ParseMode(string text) => text switch
    {
        "off" => JitMode.Off,
        "on" => JitMode.On,
        "forced" => JitMode.Forced,
        _ => null,
    };

    public static string Name(JitMode mode) => mode switch
    {
        JitMode.Off => "off",
        JitMode.On => "on",
        _ => "forced",
    };
}
