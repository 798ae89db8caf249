using System.Text.RegularExpressions;
using Osprey.Kernel.Dev;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>
/// Deterministic runs (--seed): the same program, seed and input give byte-identical console
/// output however the host schedules its threads; different seeds interleave a racy program
/// differently; a piped session recorded with its virtual times replays exactly.
/// </summary>
public class DeterministicRunTests
{
    private static KernelOptions Seeded(ulong seed, int cpus = 3) => new() { Cpus = cpus, Seed = seed };

    [Fact]
    public void TheSameSeedGivesTheSameOutput()
    {
        // Three threads on three CPUs losing updates of one counter: how many are lost depends
        // on nothing but the interleaving.
        string[] outputs = Enumerable.Range(0, 3).Select(_ => KernelRun.Program(Seeded(11), null, "racy", "count", "3", "4000").Output).ToArray();
        Assert.Matches(@"racy: counter \d+ of 12000", outputs[0]);
        Assert.DoesNotContain("counter 12000", outputs[0]); // the threads did overlap
        Assert.All(outputs, o => Assert.Equal(outputs[0], o));
    }

    [Fact]
    public void TheSameSeedGivesTheSameKernelWork()
    {
        // Forks, pipes and sleeps on three CPUs: kernel locks, wake-ups and the timed sleep
        // queue all come out the same, and so does every counter the run leaves behind.
        (string Output, long Switches)[] runs = Enumerable.Range(0, 2).Select(_ =>
        {
            long switches = 0;
            using TemporaryFile image = DefaultImage.Copy()!;
            RunResult r = KernelRun.Execute(Seeded(5) with { DiskImage = image.Path }, null, "pipetest", k => RunFromImage(k, "pipetest"),
                k => switches = k.Scheduler.Cpus.Sum(c => c.ContextSwitches));
            Assert.True(r.Status == 0, r.ToString());
            return (r.Output, switches);
        }).ToArray();
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameTraceByteForByte()
    {
        // The trace's clock is the virtual one in a deterministic run: a seed's timeline (every
        // slice, system call, fault, wake-up and counter, with its timestamp) is the same file.
        // Forks, pipes, sleeps and an unlocked counter on three CPUs, so every kind of event is in it.
        (string Output, byte[] Trace) Traced(ulong seed, string program, params string[] args)
        {
            var trace = new MemoryStream();
            RunResult r = KernelRun.Program(Seeded(seed) with { TraceOutput = trace }, null, program, args);
            Assert.True(r.Status == 0 || program == "racy", r.ToString()); // racy's lost updates end it with status 1
            using (var json = System.Text.Json.JsonDocument.Parse(trace.ToArray()))
                Assert.Empty(TraceValidator.Check(json));
            return ($"status {r.Status}\n{r.Output}", trace.ToArray());
        }

        (string Output, byte[] Trace) first = Traced(3, "pipetest"), second = Traced(3, "pipetest");
        Assert.Equal(first.Output, second.Output);
        Assert.True(first.Trace.AsSpan().SequenceEqual(second.Trace), $"two traces of seed 3 differ ({first.Trace.Length} and {second.Trace.Length} bytes)");

        (string Output, byte[] Trace) racy = Traced(11, "racy", "count", "3", "4000"), racyAgain = Traced(11, "racy", "count", "3", "4000");
        (string Output, byte[] Trace) otherSeed = Traced(12, "racy", "count", "3", "4000");
        Assert.Equal(racy.Output, racyAgain.Output);
        Assert.True(racy.Trace.AsSpan().SequenceEqual(racyAgain.Trace), "two traces of seed 11 differ");
        Assert.False(racy.Trace.AsSpan().SequenceEqual(otherSeed.Trace), "seeds 11 and 12 gave the same trace");
    }

    [Fact]
    public void DifferentSeedsInterleaveDifferently()
    {
        var totals = new HashSet<string>();
        for (ulong seed = 1; seed <= 5; seed++)
        {
            RunResult r = KernelRun.Program(Seeded(seed), null, "racy", "count", "3", "4000");
            totals.Add(Regex.Match(r.Output, @"counter (\d+)").Groups[1].Value);
        }
        Assert.True(totals.Count >= 3, $"five seeds gave only the totals {string.Join(", ", totals)}");
        Assert.DoesNotContain("12000", totals); // three CPUs taking turns in short quanta always lose some
    }

    [Fact]
    public void ACorrectProgramPassesUnderEverySeed()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            RunResult r = KernelRun.Program(Seeded(seed), null, "racy", "count-atomic", "3", "2000");
            Assert.True(r.Status == 0, r.ToString());
            Assert.Contains("counter 6000 of 6000", r.Output);
        }
    }

    [Fact]
    public void APipedSessionRecordedWithItsTimesReplaysExactly()
    {
        const string script = "echo one\nracy count 2 3000\nuptime\nsleep 3\nuptime\nls | wc\n";
        RunResult plain = KernelRun.Boot(Seeded(7), script);
        var recording = new StringWriter();
        RunResult recorded = KernelRun.Boot(Seeded(7) with { RecordInput = recording }, script);
        Assert.Equal(plain.Output, recorded.Output);
        Assert.Contains("racy: counter", plain.Output);

        InputRecording parsed = InputRecording.Parse(new StringReader(recording.ToString()));
        Assert.Equal(7UL, parsed.Seed);
        Assert.Contains(parsed.Events, e => e.Kind == InputEventKind.WhenIdle && e.Bytes.SequenceEqual("uptime\n"u8.ToArray()));
        Assert.Contains(parsed.Events, e => e.Kind == InputEventKind.EndOfInput);
        RunResult replayed = KernelRun.Boot(new KernelOptions { Cpus = 3, ReplayInput = parsed }, "this input is ignored\n");
        Assert.Equal(plain.Output, replayed.Output);

        // Virtual time: sleep 3 put three ticks between the two uptimes, whatever the host did.
        int[] uptimes = Regex.Matches(plain.Output, @"(?m)^(\d+)$").Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.True(uptimes.Length >= 2 && uptimes[1] - uptimes[0] >= 3, plain.Output);
    }

    private static int RunFromImage(OspreyKernel kernel, string program) => kernel.Run(program, [program]);
}
