using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>The command line of deterministic runs, explore and replay: what they print, their exit statuses, and one line for bad input.</summary>
public class InsightCommandTests
{
    [Fact]
    public void DeterministicPrintsTheSeedThatRepeatsTheRun()
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["run", "--deterministic", "racy", "count", "2", "3000"]);
        var seed = System.Text.RegularExpressions.Regex.Match(stderr, @"seed (\d+) \(repeat it with --seed \1\)");
        Assert.True(seed.Success, stderr);
        (int again, string repeated, _) = OspreyProcess.Run(["run", "--seed", seed.Groups[1].Value, "racy", "count", "2", "3000"]);
        Assert.Equal(status, again);
        Assert.Equal(stdout, repeated);
    }

    [Fact]
    public void ExplorePrintsAReplayCommandThatFailsTheSameWay()
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["explore", "racy", "desched", "5"]);
        Assert.True(status == 1, stdout + stderr);
        Assert.Contains("schedules/s", stdout);
        string replay = stdout.Split('\n').Single(l => l.StartsWith("explore: replay it with: osprey replay ", StringComparison.Ordinal));
        string[] words = replay["explore: replay it with: osprey ".Length..].Trim().Split(' ');
        Assert.Contains("explore: the replay writes a trace of that interleaving to replay-racy.json", stdout);
        using var trace = new TemporaryFile();
        (int replayed, _, string why) = OspreyProcess.Run([words[0], "--trace", trace.Path, .. words[1..]]);
        Assert.Equal(OspreyKernel.StoppedStatus, replayed);
        Assert.Contains("replay: the run failed: deadlock", why);
        Assert.Contains($"replay: trace of the run in {trace.Path}", why);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(trace.Path));
        Assert.Empty(TraceValidator.Check(json));
    }

    [Theory]
    [InlineData("run", "--record", "/tmp/x", "--replay", "/tmp/y", "hello")]
    [InlineData("run", "--replay", "/no/such/recording", "hello")]
    [InlineData("run", "--seed", "-3", "hello")]
    [InlineData("replay", "2cpu/all/9@7", "hello")]
    [InlineData("replay", "--trace", "/no/such/dir/t.json", "2cpu/all/-", "hello")]
    [InlineData("explore", "--points", "loops", "hello")]
    public void BadInputGetsOneLineAndStatus2(params string[] args)
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(args);
        Assert.Equal(2, status);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("osprey: ", stderr);
    }
}
