using System.Globalization;

namespace Osprey.Bench.Guest;

/// <summary>
/// The line <c>osprey emulate --stats</c> prints to stderr:
/// <c>stats: instret=N wall_ms=F mips=F</c>, where the wall time covers only the guest's execution.
/// </summary>
internal sealed record OspreyStats(ulong Instructions, double WallMilliseconds, double Mips)
{
    private const string Prefix = "stats:";

    /// <summary>The last stats line in <paramref name="stderr"/>, or null when there is none or it is malformed.</summary>
    public static OspreyStats? Find(string stderr)
    {
        string? line = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (line == null)
            return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq > 0)
                fields[token[..eq]] = token[(eq + 1)..];
        }
        return TryGet(fields, "instret", out ulong instret)
            && TryGet(fields, "wall_ms", out double wall)
            && TryGet(fields, "mips", out double mips)
            ? new OspreyStats(instret, wall, mips)
            : null;
    }

    private static bool TryGet<T>(Dictionary<string, string> fields, string key, out T value)
        where T : IParsable<T>
    {
        value = default!;
        return fields.TryGetValue(key, out string? text) && T.TryParse(text, CultureInfo.InvariantCulture, out value!);
    }
}
