namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// Signals through the shell: kill -SIGNAL, and a background job ignoring SIGINT. (sigtest's
/// scenarios run with the other test programs in <see cref="ProgramTests"/>; ^C on a terminal is
/// in Cli/CtrlCTests.)
/// </summary>
public class SignalProgramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void KillSendsNamedAndNumberedSignals(int cpus)
    {
        // A background job ignores SIGINT (the shell's children started with & keep ignoring
        // it), so kill -INT leaves it running and kill -TERM ends it; wait then collects it.
        string script = "sleep 100000 &\nkill -INT 3\nkill -SIGKILL 99999\nkill -BOGUS 3\nkill -TERM 3\nwait\necho done\n";
        RunResult r = KernelRun.Boot(cpus, script);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("kill: 99999: no such process\n", r.Output);
        Assert.Contains("kill: BOGUS: no such signal\n", r.Output);
        Assert.DoesNotContain("kill: 3:", r.Output); // pid 3 is the job (init 1, sh 2), alive until -TERM
        Assert.EndsWith("done\n", r.Output);
    }
}
