using System.Globalization;

namespace Osprey.Explore;

/// <summary>At preemption point <see cref="Point"/>, run CPU <see cref="Cpu"/> instead, or (Cpu null) make the running thread yield.</summary>
public sealed record ForcedPreemption(long Point, int? Cpu)
{
    public override string ToString() => $"{Point}@{(Cpu is { } c ? c.ToString(CultureInfo.InvariantCulture) : "y")}";

    public static ForcedPreemption? Parse(string text, int cpus)
    {
        int at = text.IndexOf('@');
        if (at < 1 || !long.TryParse(text.AsSpan(0, at), NumberStyles.None, CultureInfo.InvariantCulture, out long point))
            return null;
        string target = text[(at + 1)..];
        if (target == "y")
            return new ForcedPreemption(point, null);
        return int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) && cpu < cpus ? new ForcedPreemption(point, cpu) : null;
    }
}
