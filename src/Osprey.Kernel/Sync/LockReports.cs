using System.Globalization;
using System.Text;

namespace Osprey.Kernel.Sync;

/// <summary>
/// The lock figures in the three formats course material uses, each as its model prints it, so
/// that scripts and lab programs written for those work on Osprey:
/// - <see cref="Perf"/>: the KU Leuven xv6 fork's Ctrl-L listing;
/// - <see cref="Statistics"/>: the MIT lock lab's statistics device;
/// - <see cref="LockStat"/>: Linux's /proc/lock_stat table.
/// The two xv6 formats go by lock name (locks sharing a name are one line); lock_stat by class.
/// </summary>
public static class LockReports
{
    /// <summary>One <c>[perf] lock=NAME, #acquires=N, contention=N</c> line per lock taken, and the totals.</summary>
    public static string Perf(LockRegistry locks)
    {
        var text = new StringBuilder();
        long acquires = 0, contention = 0;
        foreach ((string name, LockStats s) in locks.ByName())
        {
            if (s.Acquisitions == 0)
                continue;
            text.Append(CultureInfo.InvariantCulture, $"[perf] lock={name}, #acquires={s.Acquisitions}, contention={s.SpinIterations}\n");
            acquires += s.Acquisitions;
            contention += s.SpinIterations;
        }
        text.Append(CultureInfo.InvariantCulture, $"[perf] totals for shown locks, #acquires={acquires}, contention={contention}\n");
        return text.ToString();
    }

    /// <summary>
    /// The MIT lock lab's text: the kmem* and bcache* locks, the five with the most failed
    /// test-and-sets, and the kmem/bcache total that kalloctest and bcachetest compare.
    /// </summary>
    public static string Statistics(LockRegistry locks)
    {
        IReadOnlyList<(string Name, LockStats Stats)> rows = locks.ByName();
        var text = new StringBuilder("--- lock kmem/bcache stats\n");
        long total = 0;
        foreach ((string name, LockStats s) in rows)
        {
            if (s.Acquisitions == 0 || !(name.StartsWith("kmem", StringComparison.Ordinal) || name.StartsWith("bcache", StringComparison.Ordinal)))
                continue;
            total += s.SpinIterations;
            AppendLabLine(text, name, s);
        }
        text.Append("--- top 5 contended locks:\n");
        foreach ((string name, LockStats s) in rows.Where(r => r.Stats.Acquisitions > 0).OrderByDescending(r => r.Stats.SpinIterations).Take(5))
            AppendLabLine(text, name, s);
        text.Append(CultureInfo.InvariantCulture, $"tot= {total}\n");
        return text.ToString();
    }

    private static void AppendLabLine(StringBuilder text, string name, LockStats s) =>
        text.Append(CultureInfo.InvariantCulture, $"lock: {name}: #test-and-set {s.SpinIterations} #acquire() {s.Acquisitions}\n");

    private const int NameWidth = 40;
    private const int ColumnWidth = 14;
    private static readonly string[] Columns =
        ["contentions", "waittime-min", "waittime-max", "waittime-total", "waittime-avg",
         "acquisitions", "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg"];

    /// <summary>
    /// Linux's lock_stat table (version 0.4), without the bounce columns, which need per-CPU
    /// cache tracking Osprey does not model: one row per lock class taken, sorted by
    /// contentions, times in microseconds with two decimals (in a deterministic run, in retired
    /// instructions, whole). With <paramref name="instances"/>, each class of several locks (or
    /// of one lock with a name of its own, kmem.cpu1 in class kmem.cpu) is followed by a row per lock.
    /// </summary>
    public static string LockStat(LockRegistry locks, bool instances = false)
    {
        var text = new StringBuilder("lock_stat version 0.4\n");
        int width = NameWidth + 1 + Columns.Length * (ColumnWidth + 1);
        string rule = new string('-', width) + "\n";
        text.Append(rule);
        text.Append(new string(' ', NameWidth - "class name".Length)).Append("class name ");
        foreach (string column in Columns)
            text.Append(column.PadLeft(ColumnWidth)).Append(' ');
        text.Length--;
        text.Append('\n').Append(rule);

        var classes = locks.Classes()
            .Select(c => (Class: c, Sum: locks.Sum(c)))
            .Where(c => c.Sum.Acquisitions > 0)
            .OrderByDescending(c => c.Sum.Contended)
            .ThenByDescending(c => c.Sum.Acquisitions);
        bool first = true;
        foreach ((LockClass c, LockStats sum) in classes)
        {
            // Classes are set apart as Linux sets them apart: a blank line, and a dotted one between.
            if (!first)
                text.Append('\n').Append(new string('.', width)).Append('\n');
            first = false;
            text.Append('\n');
            AppendRow(text, c.Name, sum, locks.Deterministic);
            IReadOnlyList<LockEntry> members = locks.Instances(c);
            if (instances && (members.Count > 1 || members.Any(e => e.Name != c.Name) || c.Retired.Acquisitions > 0))
            {
                foreach (LockEntry e in members.OrderByDescending(e => e.Stats.Contended))
                    AppendRow(text, "  " + e, e.Stats.Snapshot(), locks.Deterministic);
                if (c.Retired.Acquisitions > 0)
                    AppendRow(text, "  (gone)", c.Retired.Snapshot(), locks.Deterministic);
            }
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string name, LockStats s, bool deterministic)
    {
        string label = name + ":";
        text.Append(label.PadLeft(NameWidth)).Append(' ');
        Append(text, s.Contended.ToString(CultureInfo.InvariantCulture));
        Append(text, Time(s.ShortestWait, deterministic));
        Append(text, Time(s.WaitMax, deterministic));
        Append(text, Time(s.WaitTotal, deterministic));
        Append(text, Time(s.Contended == 0 ? 0 : s.WaitTotal / s.Contended, deterministic));
        Append(text, s.Acquisitions.ToString(CultureInfo.InvariantCulture));
        Append(text, Time(s.ShortestHold, deterministic));
        Append(text, Time(s.HoldMax, deterministic));
        Append(text, Time(s.HoldTotal, deterministic));
        Append(text, Time(s.Holds == 0 ? 0 : s.HoldTotal / s.Holds, deterministic));
        text.Length--;
        text.Append('\n');
    }

    private static void Append(StringBuilder text, string value) => text.Append(value.PadLeft(ColumnWidth)).Append(' ');

    /// <summary>Nanoseconds as Linux prints them: microseconds with two decimals; instructions whole.</summary>
    private static string Time(long value, bool deterministic) => deterministic
        ? value.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{value / 1000}.{value % 1000 / 10:D2}");
}
