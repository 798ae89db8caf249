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

        // The printed schedule, parsed back, fails the same way every time.
        Schedule again = Schedule.Parse(failed.Schedule.ToString(), out string? error) ?? throw new InvalidOperationException(error);
        for (int i = 0; i < 2; i++)
        {
            RunOutcome replayed = ScheduleRunner.Run(settings, again);
            Assert.Equal(failed.Failure, replayed.Failure);
            Assert.Equal(failed.Console, replayed.Console);
        }
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
