using Osprey.Explore;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>
/// osprey explore finds each planted bug of user/racy within 1,000 schedules, the schedule it
/// prints replays to the same failure, and the bugs' correct twins survive exploration.
/// </summary>
public class ExploreTests
{
    private static ExploreSettings Settings(params string[] argv) => new() { Program = argv[0], Argv = argv };

    [Theory]
    [InlineData("deadlock", "racy", "mutex", "2")]          // a user mutex's lost wake-up
    [InlineData("deadlock", "racy", "desched", "5")]        // deschedule/make_runnable without the reject flag
    [InlineData("updates lost", "racy", "count", "2", "3000")] // a counter incremented without a lock
    public void ExploreFindsThePlantedBugAndItsScheduleReplays(string symptom, params string[] argv)
    {
        ExploreSettings settings = Settings(argv);
        var log = new StringWriter();
        var explorer = new Explorer(settings, log);
        RunOutcome? failed = explorer.Explore();
        Assert.True(failed != null, $"no failure found in {explorer.Runs} schedules:\n{log}");
        Assert.True(explorer.Runs <= 1000);
        Assert.Contains(symptom, failed.Failure);

        // The printed schedule, parsed back, fails the same way every time, and its replay's
        // trace (osprey replay writes one) is valid and the same file both times.
        Schedule again = Schedule.Parse(failed.Schedule.ToString(), out string? error) ?? throw new InvalidOperationException(error);
        var traces = new List<byte[]>();
        for (int i = 0; i < 2; i++)
        {
            var trace = new MemoryStream();
            RunOutcome replayed = ScheduleRunner.Run(settings, again, trace: trace);
            Assert.Equal(failed.Failure, replayed.Failure);
            Assert.Equal(failed.Console, replayed.Console);
            using (var json = System.Text.Json.JsonDocument.Parse(trace.ToArray()))
            {
                Assert.Empty(TraceValidator.Check(json));
                Assert.Contains(json.RootElement.GetProperty("traceEvents").EnumerateArray(),
                    e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString()!.StartsWith(argv[0], StringComparison.Ordinal));
            }
            traces.Add(trace.ToArray());
        }
        Assert.True(traces[0].AsSpan().SequenceEqual(traces[1]), "the schedule's two traces differ");
    }

    [Fact]
    public void ExploreFindsThePlantedKkvBugAndTheCorrectKernelSurvivesTheSameBudget()
    {
        // A blocking get racing a destroy (racy kkv). With --kkv-planted-bug, destroy frees the
        // getter's placeholder without waking it: a getter that blocked first sleeps for ever.
        ExploreSettings settings = Settings("racy", "kkv", "2") with { Schedules = 60, Bound = 1 };
        var log = new StringWriter();
        var broken = new Explorer(settings with { KkvPlantedBug = true }, log);
        RunOutcome? failed = broken.Explore();
        Assert.True(failed != null, $"no failure found in {broken.Runs} schedules:\n{log}");
        Assert.Contains("deadlock", failed.Failure);
        Assert.True(broken.Runs > 1, "the unforced schedule failed: the bug should need a preemption");

        // Its replay fails the same way and writes a valid trace in which the getter is left waiting.
        var trace = new MemoryStream();
        RunOutcome replayed = ScheduleRunner.Run(settings with { KkvPlantedBug = true }, failed.Schedule, trace: trace);
        Assert.Equal(failed.Failure, replayed.Failure);
        using (var json = System.Text.Json.JsonDocument.Parse(trace.ToArray()))
        {
            Assert.Empty(TraceValidator.Check(json));
            Assert.Contains(json.RootElement.GetProperty("traceEvents").EnumerateArray(),
                e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("name").GetString() == "kkv_destroy");
        }

        var correct = new Explorer(settings, log);
        RunOutcome? none = correct.Explore();
        Assert.True(none == null, $"{none?.Schedule}: {none?.Failure}\n{none?.Console}\n{none?.Diagnostics}");
        Assert.Equal(settings.Schedules, correct.Runs);
    }

    [Theory]
    [InlineData("racy", "mutex-fixed", "2")]
    [InlineData("racy", "desched-fixed", "5")]
    public void TheCorrectTwinsSurviveExploration(params string[] argv)
    {
        var log = new StringWriter();
        var explorer = new Explorer(Settings(argv) with { Schedules = 30, Bound = 1 }, log);
        RunOutcome? failed = explorer.Explore();
        Assert.True(failed == null, $"{failed?.Schedule}: {failed?.Failure}\n{failed?.Console}\n{failed?.Diagnostics}");
        Assert.Equal(30, explorer.Runs);
    }

    [Fact]
    public void SchedulesReadBackAsTheyWerePrinted()
    {
        foreach (string text in new[] { "2cpu/syscalls,atomics/-", "3cpu/all/17@1,40@y", "1cpu/locks/seed=42" })
            Assert.Equal(text, Schedule.Parse(text, out _)!.ToString());
        foreach (string bad in new[] { "", "2cpu", "9cpu/all/-", "2cpu/nothing/-", "2cpu/all/5@2", "2cpu/all/7@1,3@0", "2cpu/all/seed=x" })
            Assert.Null(Schedule.Parse(bad, out _));
    }
}
