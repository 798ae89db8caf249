using System.Diagnostics;
using System.Globalization;
using Osprey.Bench.Guest;
using Osprey.Kernel.Sched;
using Spectre.Console;
using Mutex = Osprey.Kernel.Sync.Mutex;

namespace Osprey.Bench.Sched;

/// <summary>
/// <c>Osprey.Bench sched [--cpus LIST] [--runs N]</c>: the kernel's sleeping locks and timed
/// sleep, in process, on kernel threads over 1 and 3 simulated CPUs (no user code):
/// <list type="bullet">
/// <item>mutex hand-off: two threads taking one kernel Mutex in turn; every Unlock hands it
/// to the other thread, which waits in its queue, and makes it runnable.</item>
/// <item>sleep/wake: one thread sleeping one tick at a time on the timed sleep queue while
/// another moves the clock, with 10, 1,000 and 10,000 more threads asleep until later: a
/// heap keeps the cost flat (O(log n) to queue, O(1) to find who is due).</item>
/// </list>
/// Each figure is the best of N runs, as wall time per operation.
/// </summary>
internal static class SchedCommand
{
    private const int HandOffs = 200_000;
    private const int SleepRounds = 20_000;
    private static readonly int[] SleeperCounts = [10, 1_000, 10_000];

    public static int Run(IReadOnlyList<string> args)
    {
        (IReadOnlyList<int> cpuCounts, int runs) = ParseArguments(args);
        var rows = new List<(string Name, Dictionary<int, double> Best)>();
        rows.Add(("mutex hand-off (per hand-off)", Best(cpuCounts, runs, MutexHandOff)));
        foreach (int sleepers in SleeperCounts)
            rows.Add(($"sleep 1 tick + wake, {sleepers:N0} other sleepers (per round)", Best(cpuCounts, runs, cpus => SleepAndWake(cpus, sleepers))));

        var table = new Table().Border(TableBorder.Rounded).Title($"kernel scheduler and locks, best of {runs}, wall time per operation");
        table.AddColumn("benchmark");
        foreach (int cpus in cpuCounts)
            table.AddColumn(new TableColumn(cpus == 1 ? "1 CPU" : $"{cpus} CPUs").RightAligned());
        foreach ((string name, Dictionary<int, double> best) in rows)
            table.AddRow([Markup.Escape(name), .. cpuCounts.Select(c => Format(best[c]))]);
        AnsiConsole.Write(table);
        string command = $"dotnet run -c Release --project bench/Osprey.Bench -- sched --cpus {string.Join(',', cpuCounts)} --runs {runs}";
        MachineReport.Print(RepositoryRoot.Locate(), qemu: null, [command]);
        return 0;
    }

    private static Dictionary<int, double> Best(IReadOnlyList<int> cpuCounts, int runs, Func<int, double> measure)
    {
        var best = new Dictionary<int, double>();
        foreach (int cpus in cpuCounts)
        {
            for (int i = 0; i < runs; i++)
                best[cpus] = Math.Min(best.GetValueOrDefault(cpus, double.MaxValue), measure(cpus));
        }
        return best;
    }

    /// <summary>Microseconds per hand-off of a Mutex between two threads.</summary>
    private static double MutexHandOff(int cpus)
    {
        using var k = new KernelThreads(cpus);
        var mutex = new Mutex(k.Scheduler, "pingpong");
        var clock = new Stopwatch();
        int started = 0;
        Action player = () =>
        {
            mutex.Lock();
            // Both arrive before the clock starts; from then on each Unlock finds the other waiting.
            if (Interlocked.Increment(ref started) == 1)
            {
                k.YieldUntil(() => mutex.Waiting == 1);
                clock.Start();
            }
            while (mutex.HandOffs < HandOffs)
            {
                mutex.Unlock();
                mutex.Lock();
            }
            mutex.Unlock();
        };
        k.Run([player, player]);
        clock.Stop();
        return clock.Elapsed.TotalMicroseconds / mutex.HandOffs;
    }

    /// <summary>Microseconds per round of one tick's sleep, the tick, the wake-up and the switch back, among other sleepers.</summary>
    private static double SleepAndWake(int cpus, int others)
    {
        using var k = new KernelThreads(cpus);
        var time = new Clock(k.Scheduler);
        long later = SleepRounds + 10;
        KThread? sleeper = null;
        var clock = new Stopwatch();
        Action other = () => k.Scheduler.SleepUntil(later, time);
        Action sleeping = () =>
        {
            sleeper = KThread.Current;
            for (int i = 0; i < SleepRounds; i++)
                k.Scheduler.SleepUntil(time.Ticks + 1, time);
        };
        Action ticker = () =>
        {
            k.YieldUntil(() => k.Scheduler.TimedSleepers == others + 1);
            clock.Start();
            for (int i = 0; i < SleepRounds; i++)
            {
                // Tick once the sleeper is back asleep, so each tick wakes it once.
                k.YieldUntil(() => sleeper?.State == Osprey.Kernel.Sched.ThreadState.Sleeping);
                time.Tick();
            }
            clock.Stop();
            while (time.Ticks < later)
                time.Tick(); // the others' time comes
        };
        k.Run([ticker, sleeping, .. Enumerable.Repeat(other, others)]);
        return clock.Elapsed.TotalMicroseconds / SleepRounds;
    }

    private static string Format(double microseconds) =>
        microseconds.ToString(microseconds >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture) + " µs";

    private static (IReadOnlyList<int> Cpus, int Runs) ParseArguments(IReadOnlyList<string> args)
    {
        IReadOnlyList<int> cpus = [1, 3];
        int runs = 3;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--cpus")
                cpus = OptionParsing.NextValue(args, ref i, arg).Split(',').Select(c =>
                    int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 8
                        ? n : throw new UsageException($"--cpus wants CPU counts 1..8, not '{c}'")).ToList();
            else if (arg == "--runs")
                runs = OptionParsing.ParseRuns(OptionParsing.NextValue(args, ref i, arg));
            else
                throw new UsageException($"unknown argument '{arg}' to sched");
        }
        return (cpus, runs);
    }
}
