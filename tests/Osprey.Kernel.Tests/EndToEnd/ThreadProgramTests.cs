using System.Diagnostics;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The thread and scheduler test programs from user/, on 1 and 3 CPUs: each must exit 0 with
/// its "ok" line, with no panic, every frame free again, and every user thread's kernel thread
/// gone (its host thread back in the pool) once the program and its children have ended.
/// </summary>
public class ThreadProgramTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string, int> Suites()
    {
        var data = new TheoryData<string, int>();
        foreach (string program in new[] { "threadtest", "schedtest", "tasktest", "tlbtest" })
        {
            data.Add(program, 1);
            data.Add(program, 3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ThreadProgramPassesWithNothingLeft(string program, int cpus)
    {
        RunResult r = RunAndCheckThreads(new KernelOptions { Cpus = cpus }, program);
        Assert.Contains($"{program}: ok", r.Output);
    }

    [Fact]
    public void TheThreadLimitRefusesCleanlyAndRecovers()
    {
        RunResult r = RunAndCheckThreads(new KernelOptions { Cpus = 3, MaxThreads = 100 }, "threadtest", "limit");
        // The limit counts every user thread: the reaper's and threadtest's first are two of them.
        Assert.Contains("the kernel refused thread 99", r.Output);
        Assert.Contains("threadtest: ok", r.Output);
    }

    [Fact]
    public void TasksRunUnderTheDeterministicClock()
    {
        // One CPU at a time and a yield loop waiting out children's sleeps (virtual time moves
        // with each trap's charge too, so this takes ~1 s on a quiet host): under a heavy load
        // it can still take minutes, so the run gets a deadline far past the usual one.
        RunResult r = RunAndCheckThreads(new KernelOptions { Cpus = 3, Deterministic = true }, "tasktest", TimeSpan.FromMinutes(10));
        Assert.Contains("tasktest: ok", r.Output);
    }

    /// <summary>
    /// Runs the program and checks it exited 0 with no FAIL and no panic, every frame free, only
    /// the reaper's user thread left, and the ended threads' host threads back in the pool.
    /// The Pebbles thread tests use it too.
    /// </summary>
    internal static RunResult RunAndCheckThreads(KernelOptions options, string program, params string[] args) =>
        RunAndCheckThreads(options, program, null, args);

    private static RunResult RunAndCheckThreads(KernelOptions options, string program, TimeSpan? deadline, params string[] args)
    {
        int leftThreads = -1, leftKernelThreads = -1;
        using TemporaryFile image = DefaultImage.Copy()!;
        RunResult r = KernelRun.Execute(options with { DiskImage = image.Path }, null, program,
            kernel => kernel.Run(program, [program, .. args]),
            kernel =>
            {
                // Only the reaper's thread is left, and only it (and the idle threads) still has
                // a host thread once the threads that ended have handed on their CPUs.
                leftThreads = kernel.Processes.ThreadCount;
                var clock = Stopwatch.StartNew();
                while (kernel.Scheduler.LiveThreads > options.Cpus + 1 && clock.Elapsed < Deadline)
                    Thread.Sleep(10);
                leftKernelThreads = kernel.Scheduler.LiveThreads;
            }, deadline);
        Assert.True(r.Status == 0, r.ToString());
        Assert.DoesNotContain("FAIL", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
        Assert.Equal(1, leftThreads);
        Assert.True(leftKernelThreads <= options.Cpus + 1, $"{leftKernelThreads} kernel threads still have host threads");
        return r;
    }
}
