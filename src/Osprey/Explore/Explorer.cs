using System.Diagnostics;
using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>
/// osprey explore's search, in the manner of CHESS and Landslide: run the program with no
/// preemption forced, then with one forced preemption at each point where that run could have
/// gone another way, then two (each extending a one-preemption run after its own forced point),
/// up to <see cref="ExploreSettings.Bound"/>; then seeded random schedules (random quanta and
/// random departures at points) until the budget is spent. The first failing run ends the
/// search.
///
/// Half the budget goes to the systematic levels, split evenly between them; a level with more
/// schedules than its share is sampled (uniformly, from the settings' seed), so a program with
/// many points still gets its random schedules.
/// </summary>
public sealed class Explorer(ExploreSettings settings, TextWriter log)
{
    private readonly Stopwatch _clock = new();
    private readonly DeterministicRandom _sampling = new(settings.Seed);

    public int Runs { get; private set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public double SchedulesPerSecond => Runs / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);

    /// <summary>Searches; returns the first failing run, or null if none failed within the budget.</summary>
    public RunOutcome? Explore()
    {
        _clock.Start();
        try
        {
            RunOutcome first = Try(Schedule.Unforced(settings.Cpus, settings.Points));
            log.WriteLine($"explore: bound 0: 1 schedule, {first.Offered.Count} points offered a choice");
            if (first.Failure != null)
                return first;
            List<RunOutcome> level = [first];
            int systematic = settings.Schedules / 2;
            for (int bound = 1; bound <= settings.Bound && Runs < settings.Schedules; bound++)
            {
                int share = Math.Max(1, (systematic - Runs) / (settings.Bound - bound + 1));
                share = Math.Min(share, settings.Schedules - Runs);
                List<Schedule> candidates = Candidates(level, share, out long total);
                log.WriteLine($"explore: bound {bound}: {total} schedules, trying {candidates.Count}");
                var next = new List<RunOutcome>();
                foreach (Schedule s in candidates)
                {
                    RunOutcome o = Try(s);
                    if (o.Failure != null)
                        return o;
                    next.Add(bound < settings.Bound ? o : o with { Offered = [] });
                }
                level = next;
            }
            int random = settings.Schedules - Runs;
            if (random > 0)
                log.WriteLine($"explore: random: {random} seeded schedules");
            for (ulong i = 0; Runs < settings.Schedules; i++)
            {
                RunOutcome o = Try(Schedule.Random(settings.Cpus, settings.Points, settings.Seed + i));
                if (o.Failure != null)
                    return o;
            }
            return null;
        }
        finally
        {
            _clock.Stop();
        }
    }

    private RunOutcome Try(Schedule schedule)
    {
        Runs++;
        return ScheduleRunner.Run(settings, schedule);
    }

    /// <summary>
    /// The schedules one forced preemption longer than those of <paramref name="level"/>: at
    /// every point after a run's last forced one, each choice the point offered. All of them if
    /// there are at most <paramref name="limit"/>, else that many picked at random.
    /// </summary>
    private List<Schedule> Candidates(List<RunOutcome> level, int limit, out long total)
    {
        var counts = new long[level.Count];
        total = 0;
        for (int i = 0; i < level.Count; i++)
        {
            RunOutcome o = level[i];
            foreach (OfferedPoint p in o.Offered)
            {
                if (p.Index > o.Schedule.LastForced)
                    counts[i] += p.Choices(settings.Cpus).Count();
            }
            total += counts[i];
        }
        var picked = new SortedSet<long>();
        if (total <= limit)
        {
            for (long k = 0; k < total; k++)
                picked.Add(k);
        }
        else
        {
            while (picked.Count < limit)
                picked.Add((long)(_sampling.Next() % (ulong)total));
        }
        var result = new List<Schedule>(picked.Count);
        long start = 0;
        int outcome = 0;
        foreach (long k in picked)
        {
            while (k >= start + counts[outcome])
                start += counts[outcome++];
            result.Add(Nth(level[outcome], k - start));
        }
        return result;
    }

    private Schedule Nth(RunOutcome o, long n)
    {
        foreach (OfferedPoint p in o.Offered)
        {
            if (p.Index <= o.Schedule.LastForced)
                continue;
            foreach (ForcedPreemption choice in p.Choices(settings.Cpus))
            {
                if (n-- == 0)
                    return o.Schedule.With(choice);
            }
        }
        throw new InvalidOperationException("no such candidate");
    }
}
