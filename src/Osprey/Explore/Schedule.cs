using System.Globalization;
using System.Text;
using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>
/// One interleaving of a deterministic run, as a short string that <c>osprey replay</c> takes:
/// <c>3cpu/all/17@1,40@y</c> is a run on 3 CPUs with every kind of preemption point counted,
/// where at point 17 the machine moves to CPU 1 and at point 40 the running thread yields
/// (and nothing else is forced); <c>3cpu/atomics/seed=42</c> is the seeded random run of seed
/// 42 with atomics as its only points. See <see cref="ScheduleInterleaving"/> for the rest of
/// a forced schedule's choices.
/// </summary>
public sealed record Schedule(int Cpus, PreemptionPoints Points, IReadOnlyList<ForcedPreemption> Forced, ulong? RandomSeed)
{
    /// <summary>The run with nothing forced: every point continues, quanta end in turn.</summary>
    public static Schedule Unforced(int cpus, PreemptionPoints points) => new(cpus, points, [], null);

    public static Schedule Random(int cpus, PreemptionPoints points, ulong seed) => new(cpus, points, [], seed);

    /// <summary>This schedule and one more forced preemption, later than all of its own.</summary>
    public Schedule With(ForcedPreemption more) => this with { Forced = [.. Forced, more] };

    public long LastForced => Forced.Count == 0 ? -1 : Forced[^1].Point;

    public override string ToString()
    {
        var text = new StringBuilder($"{Cpus}cpu/{PointsName(Points)}/");
        if (RandomSeed is { } seed)
            text.Append(CultureInfo.InvariantCulture, $"seed={seed}");
        else if (Forced.Count == 0)
            text.Append('-');
        else
            text.AppendJoin(',', Forced.Select(f => f.ToString()));
        return text.ToString();
    }

    /// <summary>Reads a schedule string; null with <paramref name="error"/> set if it is not one.</summary>
    public static Schedule? Parse(string text, out string? error)
    {
        error = null;
        string[] parts = text.Split('/');
        if (parts.Length != 3 || !parts[0].EndsWith("cpu", StringComparison.Ordinal)
            || !int.TryParse(parts[0].AsSpan(0, parts[0].Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out int cpus) || cpus is < 1 or > 8)
        {
            error = $"'{text}' is not a schedule (CPUScpu/POINTS/CHOICES, as osprey explore prints)";
            return null;
        }
        if (ParsePoints(parts[1]) is not { } points)
        {
            error = $"'{parts[1]}' is not a kind of preemption point (syscalls, locks, atomics, all)";
            return null;
        }
        if (parts[2].StartsWith("seed=", StringComparison.Ordinal))
        {
            if (!ulong.TryParse(parts[2].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            {
                error = $"'{parts[2]}' is not seed=N";
                return null;
            }
            return Random(cpus, points, seed);
        }
        var forced = new List<ForcedPreemption>();
        if (parts[2] != "-")
        {
            foreach (string choice in parts[2].Split(','))
            {
                if (ForcedPreemption.Parse(choice, cpus) is not { } f || (forced.Count > 0 && f.Point <= forced[^1].Point))
                {
                    error = $"'{choice}' is not POINT@CPU or POINT@y after the choices before it";
                    return null;
                }
                forced.Add(f);
            }
        }
        return new Schedule(cpus, points, forced, null);
    }

    /// <summary>syscalls, locks, atomics or all, or several joined by commas; null if not.</summary>
    public static PreemptionPoints? ParsePoints(string text)
    {
        PreemptionPoints points = PreemptionPoints.None;
        foreach (string name in text.Split(','))
        {
            points |= name switch
            {
                "syscalls" => PreemptionPoints.SystemCalls,
                "locks" => PreemptionPoints.Locks,
                "atomics" => PreemptionPoints.Atomics,
                "all" => PreemptionPoints.All,
                _ => (PreemptionPoints)(-1),
            };
            if ((int)points < 0)
                return null;
        }
        return points == PreemptionPoints.None ? null : points;
    }

    public static string PointsName(PreemptionPoints points) => points == PreemptionPoints.All ? "all" : string.Join(',',
        new[] { (PreemptionPoints.SystemCalls, "syscalls"), (PreemptionPoints.Locks, "locks"), (PreemptionPoints.Atomics, "atomics") }
            .Where(p => (points & p.Item1) != 0).Select(p => p.Item2));
}
