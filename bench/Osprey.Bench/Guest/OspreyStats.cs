using System.Globalization;

namespace Osprey.Bench.Guest;

/// <summary>
/// The line <c>osprey emulate --stats</c> prints to stderr:
/// <c>stats: instret=N wall_ms=F mips=F</c>, where the wall time covers only the guest's execution,
/// and with the JIT on the line after it, <c>jit: blocks=N ... compile_ms=F per_block_us=F ...</c>.
/// </summary>
internal sealed record OspreyStats(ulong Instructions, double WallMilliseconds, double Mips)
{
    private const string Prefix = "stats:";
    private const string JitPrefix = "jit:";

    /// <summary>Blocks the JIT translated, and the time it spent compiling them (null with the JIT off).</summary>
    public JitFigures? Jit { get; init; }

    /// <summary>The last stats line in <paramref name="stderr"/>, or null when there is none or it is malformed.</summary>
    public static OspreyStats? Find(string stderr)
    {
        if (Fields(stderr, Prefix) is not { } fields)
            return null;
        JitFigures? jit = Fields(stderr, JitPrefix) is { } j
            && TryGet(j, "blocks", out long blocks)
            && TryGet(j, "compile_ms", out double compile)
            && TryGet(j, "per_block_us", out double perBlock)
            ? new JitFigures(blocks, compile, perBlock)
            : null;
        return TryGet(fields, "instret", out ulong instret)
            && TryGet(fields, "wall_ms", out double wall)
            && TryGet(fields, "mips", out double mips)
            ? new OspreyStats(instret, wall, mips) { Jit = jit }
            : null;
    }

    private static Dictionary<string, string>? Fields(string stderr, string prefix)
    {
        string? line = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line == null)
            return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq > 0)
                fields[token[..eq]] = token[(eq + 1)..];
        }
        return fields;
    }

    private static bool TryGet<T>(Dictionary<string, string> fields, string key, out T value)
        where T : IParsable<T>
    {
        value = default!;
        return fields.TryGetValue(key, out string? text) && T.TryParse(text, CultureInfo.InvariantCulture, out value!);
    }
}
