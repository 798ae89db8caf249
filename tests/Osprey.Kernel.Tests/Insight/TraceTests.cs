using System.Text;
using System.Text.Json;
using Osprey.Kernel.Insight;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>--trace: the JSON of real runs passes our validator and holds what it promises; the validator catches bad traces.</summary>
public class TraceTests
{
    [Theory]
    [InlineData("forktest", 1)]
    [InlineData("forktest", 3)]
    public void ARunsTraceIsValidAndComplete(string program, int cpus)
    {
        var output = new MemoryStream();
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, TraceOutput = output }, null, program);
        Assert.True(r.Status == 0, r.ToString());
        using JsonDocument trace = JsonDocument.Parse(output.ToArray());
        Assert.Empty(TraceValidator.Check(trace));

        JsonElement[] events = [.. trace.RootElement.GetProperty("traceEvents").EnumerateArray()];
        IEnumerable<JsonElement> Phase(string ph) => events.Where(e => e.GetProperty("ph").GetString() == ph);
        // A named track per CPU, and slices of the program's threads on the CPU tracks.
        for (int cpu = 0; cpu < cpus; cpu++)
            Assert.Contains(Phase("M"), e => e.GetProperty("name").GetString() == "thread_name" && e.GetProperty("tid").GetInt64() == Tracer.CpuProcess + cpu);
        Assert.Contains(Phase("X"), e => e.GetProperty("pid").GetInt64() == Tracer.CpuProcess && e.GetProperty("name").GetString()!.StartsWith(program, StringComparison.Ordinal));
        // System calls with decoded arguments and results, on the caller's own track.
        Assert.Contains(Phase("i"), e => e.GetProperty("cat").GetString() == "syscall" && e.GetProperty("name").GetString() == "write"
            && e.GetProperty("args").GetProperty("args").GetString()!.StartsWith("1, \"", StringComparison.Ordinal)
            && e.GetProperty("pid").GetInt64() == 2);
        // Copy-on-write faults (both programs fork or share pages), interrupts, counters, wake-up flows.
        Assert.Contains(Phase("i"), e => e.GetProperty("cat").GetString() == "fault");
        Assert.Contains(Phase("i"), e => e.GetProperty("cat").GetString() == "interrupt");
        Assert.Contains(Phase("C"), e => e.GetProperty("name").GetString() == "runnable threads");
        Assert.Contains(Phase("C"), e => e.GetProperty("name").GetString() == "free frames");
        Assert.NotEmpty(Phase("f"));
    }

    [Fact]
    public void SignalsAndIpisAreInTheTrace()
    {
        // sigtest's dispositions: SIGINT and SIGUSR1 sent to children, caught, ignored and
        // taken by default; on three CPUs, wake-ups of idle CPUs are IPIs.
        var output = new MemoryStream();
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = 3, TraceOutput = output }, null, "sigtest", "dispositions");
        Assert.True(r.Status == 0, r.ToString());
        using JsonDocument trace = JsonDocument.Parse(output.ToArray());
        Assert.Empty(TraceValidator.Check(trace));
        JsonElement[] instants = [.. trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "i")];
        static string Arg(JsonElement e, string key) => e.TryGetProperty("args", out JsonElement a) && a.TryGetProperty(key, out JsonElement v) ? v.GetString() ?? "" : "";
        // Sends, on the sender's track: pending, and an ignored one (SIGCHLD's default).
        Assert.Contains(instants, e => e.GetProperty("name").GetString()!.StartsWith("send SIG", StringComparison.Ordinal) && Arg(e, "outcome") == "pending"
            && e.GetProperty("pid").GetInt64() == 2);
        Assert.Contains(instants, e => e.GetProperty("name").GetString() == "send SIGCHLD" && Arg(e, "outcome") == "ignored");
        // Deliveries, on the taker's track: a handler and the default action.
        Assert.Contains(instants, e => e.GetProperty("cat").GetString() == "signal" && Arg(e, "action").StartsWith("handler 0x", StringComparison.Ordinal));
        Assert.Contains(instants, e => e.GetProperty("cat").GetString() == "signal" && Arg(e, "action") == "default: the task ends");
        // IPIs, sent (on the sender's CPU track, with why) and taken.
        Assert.Contains(instants, e => e.GetProperty("name").GetString()!.StartsWith("IPI to cpu ", StringComparison.Ordinal) && Arg(e, "why").Length > 0
            && e.GetProperty("pid").GetInt64() == Tracer.CpuProcess);
        Assert.Contains(instants, e => e.GetProperty("name").GetString() == "IPI" && e.GetProperty("pid").GetInt64() == Tracer.CpuProcess);
    }

    [Fact]
    public void ContendedLocksShowAsWaitSlicesNamingTheLockAndItsHolder()
    {
        var output = new MemoryStream();
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = 3, TraceOutput = output }, null, "manyproc");
        Assert.True(r.Status == 0, r.ToString());
        using JsonDocument trace = JsonDocument.Parse(output.ToArray());
        Assert.Empty(TraceValidator.Check(trace));
        JsonElement[] waits = [.. trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "B")];
        Assert.NotEmpty(waits);
        Assert.All(waits, w =>
        {
            Assert.Equal("lock", w.GetProperty("cat").GetString());
            Assert.StartsWith("wait ", w.GetProperty("name").GetString());
            Assert.False(string.IsNullOrEmpty(w.GetProperty("args").GetProperty("lock").GetString()));
        });
        Assert.Contains(waits, w => w.GetProperty("args").GetProperty("holder").GetString() != "?");
    }

    [Fact]
    public void TheValidatorCatchesOverlapsUnmatchedBeginsAndLostFlows()
    {
        string good = """
            {"traceEvents":[
              {"ph":"M","name":"process_name","pid":1,"args":{"name":"p"}},
              {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"t"}},
              {"ph":"X","name":"a","ts":0,"dur":5,"pid":1,"tid":1},
              {"ph":"X","name":"b","ts":5,"dur":1,"pid":1,"tid":1},
              {"ph":"B","name":"w","ts":6,"pid":1,"tid":1},
              {"ph":"E","name":"w","ts":7,"pid":1,"tid":1},
              {"ph":"s","name":"f","id":1,"ts":1,"pid":1,"tid":1},
              {"ph":"f","name":"f","id":1,"ts":5,"pid":1,"tid":1},
              {"ph":"i","name":"signal SIGINT","cat":"signal","s":"t","ts":6,"pid":1,"tid":1,"args":{"signal":"SIGINT","action":"ignored"}}
            ]}
            """;
        Assert.Empty(TraceValidator.Check(JsonDocument.Parse(good)));
        Assert.Contains(TraceValidator.Check(JsonDocument.Parse(good.Replace("\"ts\":5,\"dur\":1", "\"ts\":4.999,\"dur\":1"))), p => p.Contains("overlaps"));
        Assert.Contains(TraceValidator.Check(JsonDocument.Parse(good.Replace("{\"ph\":\"E\",\"name\":\"w\",\"ts\":7,\"pid\":1,\"tid\":1},", ""))), p => p.Contains("without an E"));
        Assert.Contains(TraceValidator.Check(JsonDocument.Parse(good.Replace("\"ph\":\"s\"", "\"ph\":\"i\",\"s\":\"t\""))), p => p.Contains("never starts"));
        Assert.Contains(TraceValidator.Check(JsonDocument.Parse(good.Replace("\"action\":\"ignored\"", "\"outcome\":\"ignored\""))), p => p.Contains("signal instant"));
        Assert.Contains(TraceValidator.Check(JsonDocument.Parse(good.Replace("\"tid\":1,\"args\":{\"name\":\"t\"}", "\"tid\":2,\"args\":{\"name\":\"t\"}"))), p => p.Contains("no thread_name"));
    }
}
