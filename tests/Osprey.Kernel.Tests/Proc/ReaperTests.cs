using Osprey.Kernel.Proc;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Proc;

/// <summary>
/// The reaper of <c>osprey run</c> (pid 1) ends the run with the program's status whatever
/// happens to it. User programs cannot kill it (killtest checks kill(1) is refused), so these
/// tests mark it killed from inside the kernel, as a later kernel path might.
/// </summary>
public class ReaperTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AKilledReaperStillCollectsEverythingAndEndsTheRun(int cpus)
    {
        // A subshell leaves a background sleep behind as an orphan of the reaper; the reaper is
        // marked killed while it and a foreground sleep run. It must still collect sh, kill and
        // collect the orphan, and halt with sh's status, every frame free again.
        using TemporaryFile image = DefaultImage.Copy()!;
        RunResult r = KernelRun.Execute(new KernelOptions { Cpus = cpus, DiskImage = image.Path }, "(sleep 1000000 &)\nsleep 20\n", "sh", kernel =>
        {
            kernel.Scheduler.Submit(kernel.Scheduler.CreateThread("reaper-killer", () =>
            {
                while (!kernel.Scheduler.Halted)
                {
                    IReadOnlyList<Process> all = kernel.Processes.Snapshot();
                    if (all.Count(p => p.Name == "sleep" && p.State == ProcessState.Alive) == 2)
                    {
                        all.Single(p => p.Pid == 1).MarkKilled();
                        return;
                    }
                    kernel.Scheduler.Yield();
                }
            }));
            return kernel.Run("sh", ["sh"]);
        });
        Assert.True(r.Status == 0, r.ToString());
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }
}
