using System.Reflection;
using Osprey.Kernel.Tests.Support;
using Osprey.Machine.Jit;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The kernel under the JIT tier. The rest of the end-to-end suite runs with the JIT on (the
/// default); these add what only a comparison shows: a deterministic run whose output records
/// where the timer preempted is the same under every tier, and usertests, selfmod and the
/// floating-point programs pass with every block translated the first time it runs.
/// </summary>
public class JitTests
{
    private static readonly JitOptions Off = new() { Mode = JitMode.Off };
    private static readonly JitOptions On = new() { Mode = JitMode.On };
    private static readonly JitOptions Forced = new() { Mode = JitMode.Forced };

    [Fact]
    public void ADeterministicRunIsTheSameUnderEveryTier()
    {
        string Output(JitOptions jit)
        {
            RunResult r = KernelRun.Program(new KernelOptions { Cpus = 1, Deterministic = true, Jit = jit }, null, "preempt");
            Assert.True(r.Status == 0, r.ToString());
            return r.Output;
        }
        string interpreted = Output(Off);
        string[] lines = interpreted.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The comparison means something only if the timer did preempt the workers mid-way.
        Assert.True(Array.IndexOf(lines, "b0") < Array.IndexOf(lines, "a23"), $"no preemption visible:\n{interpreted}");
        Assert.Equal(interpreted, Output(On));
        Assert.Equal(interpreted, Output(Forced));
    }

    /// <summary>
    /// A seeded run (<c>--seed N</c>) on three CPUs of a program whose output is nothing but
    /// its interleaving (threads losing updates of one counter): the seed decides every turn by
    /// instructions retired, so the count comes out byte for byte the same only if translated
    /// code retires, and returns to the kernel, at exactly the instruction the interpreter does.
    /// </summary>
    [Fact]
    public void ASeededRunOnThreeCpusIsTheSameUnderEveryTier()
    {
        // racy exits 1 when it lost updates, which it does here: the status is compared too.
        (int, string) Output(JitOptions jit)
        {
            RunResult r = KernelRun.Program(new KernelOptions { Cpus = 3, Seed = 23, Jit = jit }, null, "racy", "count", "3", "4000");
            return (r.Status, r.Output);
        }
        (int status, string interpreted) = Output(Off);
        Assert.Matches(@"racy: counter \d+ of 12000", interpreted);
        Assert.DoesNotContain("counter 12000", interpreted); // the threads did interleave
        Assert.Equal((status, interpreted), Output(On));
        Assert.Equal((status, interpreted), Output(Forced));
    }

    /// <summary>
    /// The same with the thread library's atomics in the way: a seeded run stops before every
    /// AMO and LR (a preemption point), which translated code must make where the interpreter
    /// does; then it does not matter either when the background compiler finishes a
    /// translation (the run under On is repeated). How many signals the exiting threads'
    /// siblings take is the interleaving's fingerprint.
    /// </summary>
    [Fact]
    public void ASeededRunWithAtomicsIsTheSameUnderEveryTier()
    {
        (int, string) Output(JitOptions jit)
        {
            RunResult r = KernelRun.Program(new KernelOptions { Cpus = 3, Seed = 5, Jit = jit }, null, "thr_exit_race", "3", "40");
            return (r.Status, r.Output);
        }
        (int status, string interpreted) = Output(Off);
        Assert.Contains("(^_^)_thr_exit_race: END__SUCCESS", interpreted);
        Assert.Matches(@"240 threads joined; \d+ signals handled", interpreted);
        Assert.Equal((status, interpreted), Output(On));
        Assert.Equal((status, interpreted), Output(Forced));
        Assert.Equal((status, interpreted), Output(On));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void QuickUsertestsPassWithEveryBlockTranslated(int cpus)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Jit = Forced }, null, "usertests", "-q");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("ALL TESTS PASSED", r.Output);
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SelfModifyingCodeRunsWithEveryBlockTranslated(int cpus)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Jit = Forced }, null, "selfmod");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("addi a0, a0, 2047 on 1000 -> 3047", r.Output);
        Assert.Contains("c.li a0, -7 -> -7", r.Output);
        Assert.Contains("addi a0, a0, 3 on 39 -> 42", r.Output);
    }

    /// <summary>
    /// fptest (f registers and fcsr private to each process across sleeps, preemption, CPUs,
    /// fork and exec), and floatprint and numeric printing what qemu-riscv64 prints, with every
    /// F and D instruction run by translated code.
    /// </summary>
    [Theory]
    [InlineData("fptest", 1)]
    [InlineData("fptest", 3)]
    [InlineData("floatprint", 1)]
    [InlineData("numeric", 3)]
    public void FloatingPointProgramsPassWithEveryBlockTranslated(string program, int cpus)
    {
        RunResult r = KernelRun.Program(new KernelOptions { Cpus = cpus, Jit = Forced }, null, program);
        Assert.True(r.Status == 0, r.ToString());
        if (program == "fptest")
        {
            Assert.Contains("fptest: ok", r.Output);
        }
        else
        {
            string root = typeof(DefaultImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OspreyRoot").Value!;
            (int status, string expected, string errors) = HostProgram.Run("qemu-riscv64", [Path.Combine(root, "build", "user", "linux", program)]);
            Assert.True(status == 0, $"qemu-riscv64 {program} exited {status}: {errors}");
            Assert.Equal(expected, r.Output);
        }
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }
}
