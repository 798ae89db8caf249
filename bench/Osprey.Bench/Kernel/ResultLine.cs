using System.Globalization;
using System.Text.RegularExpressions;

namespace Osprey.Bench.Kernel;

/// <summary>
/// The line a kernel benchmark prints (bench/kernel/bench.h):
/// <c>LABEL: V UNIT per OP (N rounds, T ticks)</c>, T being rdtime ticks of 100 ns around the
/// whole loop. The cost is worked out from T and N, not from the rounded V.
/// </summary>
internal sealed partial record ResultLine(string Label, int Rounds, long Ticks)
{
    private const double MicrosecondsPerTick = 0.1;

    public double MicrosecondsPerOp => Ticks * MicrosecondsPerTick / Rounds;

    public double Seconds => Ticks * MicrosecondsPerTick / 1e6;

    /// <summary>The result line in <paramref name="stdout"/>, or null when there is none or it is malformed.</summary>
    public static ResultLine? Find(string stdout)
    {
        foreach (string line in stdout.Split('\n'))
        {
            Match m = Pattern().Match(line.Trim());
            if (m.Success
                && int.TryParse(m.Groups["rounds"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int rounds)
                && long.TryParse(m.Groups["ticks"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
                && rounds > 0)
            {
                return new ResultLine(m.Groups["label"].Value, rounds, ticks);
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?<label>[^:]+): [0-9]+\.[0-9] (ns|us) per [\w ]+ \((?<rounds>[0-9]+) rounds, (?<ticks>[0-9]+) ticks\)$")]
    private static partial Regex Pattern();
}
