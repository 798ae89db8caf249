using System.Text.Json;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>
/// Our own checker of a Chrome trace-event file as --trace writes it: every event has the
/// fields its phase needs; on each track, complete (X) slices never overlap and every B has
/// its E (same name, properly nested); every flow end has an earlier start with its id; every
/// pid and tid used is named by metadata; a signal instant names its signal and its action (or
/// its target and outcome). Returns the problems found (none for a good trace).
/// </summary>
public static class TraceValidator
{
    public static List<string> Check(JsonDocument trace)
    {
        var problems = new List<string>();
        if (!trace.RootElement.TryGetProperty("traceEvents", out JsonElement events) || events.ValueKind != JsonValueKind.Array)
        {
            problems.Add("no traceEvents array");
            return problems;
        }
        var namedProcesses = new HashSet<long>();
        var namedThreads = new HashSet<(long, long)>();
        var used = new HashSet<(long Pid, long? Tid)>();
        var slices = new Dictionary<(long, long), List<(decimal Ts, decimal End, string Name)>>();
        var stacks = new Dictionary<(long, long), List<(decimal Ts, string Name, char Phase)>>();
        var flowStarts = new Dictionary<long, decimal>();
        var flowEnds = new List<(long Id, decimal Ts)>();
        int index = 0;
        foreach (JsonElement e in events.EnumerateArray())
        {
            string where = $"event {index++}";
            if (!Str(e, "ph", out string ph) || !Str(e, "name", out string name) || !Num(e, "pid", out decimal pidValue))
            {
                problems.Add($"{where}: lacks ph, name or pid: {e}");
                continue;
            }
            long pid = (long)pidValue;
            long? tid = Num(e, "tid", out decimal t) ? (long)t : null;
            if (ph == "M")
            {
                if (!e.TryGetProperty("args", out JsonElement margs) || !Str(margs, "name", out _))
                    problems.Add($"{where}: metadata without args.name");
                else if (name == "process_name")
                    namedProcesses.Add(pid);
                else if (name == "thread_name" && tid is { } mt)
                    namedThreads.Add((pid, mt));
                continue;
            }
            if (!Num(e, "ts", out decimal ts) || ts < 0)
            {
                problems.Add($"{where}: {ph} without a ts");
                continue;
            }
            used.Add((pid, tid));
            if (ph != "C" && tid == null)
                problems.Add($"{where}: {ph} without a tid");
            switch (ph)
            {
                case "X":
                    if (!Num(e, "dur", out decimal dur) || dur < 0)
                        problems.Add($"{where}: X without a duration");
                    else
                        Add(slices, (pid, tid ?? 0), (ts, ts + dur, name));
                    break;
                case "B" or "E":
                    Add(stacks, (pid, tid ?? 0), (ts, name, ph[0]));
                    break;
                case "i":
                    if (!Str(e, "s", out string scope) || scope is not ("t" or "p" or "g"))
                        problems.Add($"{where}: instant without a scope");
                    // A signal names itself, and a send its target and what became of it.
                    if (Str(e, "cat", out string cat) && cat == "signal"
                        && (!e.TryGetProperty("args", out JsonElement sargs) || !Str(sargs, "signal", out string sig) || !sig.StartsWith("SIG", StringComparison.Ordinal)
                            || !(Str(sargs, "action", out _) || (Str(sargs, "to pid", out _) && Str(sargs, "outcome", out _)))))
                        problems.Add($"{where}: signal instant without its signal and action, or target and outcome");
                    break;
                case "C":
                    if (!e.TryGetProperty("args", out JsonElement cargs) || !cargs.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Number))
                        problems.Add($"{where}: counter without a numeric value");
                    break;
                case "s" or "f":
                    if (!Num(e, "id", out decimal id))
                        problems.Add($"{where}: flow without an id");
                    else if (ph == "s" && !flowStarts.TryAdd((long)id, ts))
                        problems.Add($"{where}: flow {id} started twice");
                    else if (ph == "f")
                        flowEnds.Add(((long)id, ts));
                    break;
                default:
                    problems.Add($"{where}: unexpected phase {ph}");
                    break;
            }
        }
        foreach (((long pid, long tid), var list) in slices)
        {
            list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i].Ts < list[i - 1].End)
                    problems.Add($"track {pid}/{tid}: slice '{list[i].Name}' at {list[i].Ts} overlaps '{list[i - 1].Name}' ending at {list[i - 1].End}");
            }
        }
        foreach (((long pid, long tid), var list) in stacks)
        {
            // Stable by time: a B and an E at one instant keep their order in the file.
            var open = new Stack<string>();
            foreach (var (ts, name, phase) in list.OrderBy(x => x.Ts))
            {
                if (phase == 'B')
                    open.Push(name);
                else if (open.Count == 0 || open.Pop() != name)
                    problems.Add($"track {pid}/{tid}: E '{name}' at {ts} ends no open B of that name");
            }
            if (open.Count > 0)
                problems.Add($"track {pid}/{tid}: {open.Count} B without an E ('{open.Peek()}')");
        }
        foreach ((long id, decimal ts) in flowEnds)
        {
            if (!flowStarts.TryGetValue(id, out decimal start))
                problems.Add($"flow {id} ends but never starts");
            else if (start > ts)
                problems.Add($"flow {id} ends at {ts}, before it starts at {start}");
        }
        foreach ((long pid, long? tid) in used)
        {
            if (!namedProcesses.Contains(pid))
                problems.Add($"pid {pid} has no process_name");
            if (tid is { } t && !namedThreads.Contains((pid, t)))
                problems.Add($"pid {pid} tid {t} has no thread_name");
        }
        return problems;
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out List<TValue>? list))
            map[key] = list = [];
        list.Add(value);
    }

    private static bool Str(JsonElement e, string name, out string value)
    {
        value = e.TryGetProperty(name, out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        return value.Length > 0;
    }

    private static bool Num(JsonElement e, string name, out decimal value)
    {
        value = 0;
        return e.TryGetProperty(name, out JsonElement p) && p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out value);
    }
}
