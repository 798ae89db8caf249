using System.Reflection;
using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// Programs computing in float, double and long double, run by Osprey's kernel (xv6 build)
/// on 1 and 3 CPUs, must print exactly what qemu-riscv64 prints for the Linux build of the
/// same source: preemption, migration between CPUs and the system calls in between must not
/// disturb a process's floating-point registers or fcsr.
/// </summary>
public sealed class FloatProgramTests
{
    [Theory]
    [InlineData("floatprint", 1)]
    [InlineData("floatprint", 3)]
    [InlineData("numeric", 1)]
    [InlineData("numeric", 3)]
    public void PrintsWhatQemuPrints(string program, int cpus)
    {
        (int status, string expected, string errors) = HostProgram.Run("qemu-riscv64", [LinuxBuild(program)]);
        Assert.True(status == 0, $"qemu-riscv64 {program} exited {status}: {errors}");
        RunResult r = KernelRun.Program(cpus, program);
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(expected, r.Output);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    private static string LinuxBuild(string program)
    {
        string root = typeof(DefaultImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OspreyRoot").Value!;
        return Path.Combine(root, "build", "user", "linux", program);
    }
}
