using Osprey.Kernel.Exec;

namespace Osprey.Kernel.Tests.Proc;

/// <summary>The process core before the file system: programs handed in as bytes.</summary>
public class EarlyProcessTests
{
    private static string Guest(string name) =>
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "build", "user", "xv6", name);

    [Theory]
    [InlineData(1, "7", 7)]
    [InlineData(3, "42", 42)]
    [InlineData(3, "0", 0)]
    public void ProgramExitStatusIsReturned(int cpus, string arg, int expected)
    {
        using var kernel = new OspreyKernel(new KernelOptions { Cpus = cpus, MemoryBytes = 16 << 20 });
        int status = kernel.Run(new MemoryExecutable(File.ReadAllBytes(Guest("exitcode"))), "exitcode", ["exitcode", arg]);
        Assert.Null(kernel.PanicReason);
        Assert.Equal(expected, status);
    }

    [Fact]
    public void FaultingProgramIsKilled()
    {
        using var kernel = new OspreyKernel(new KernelOptions { Cpus = 1, MemoryBytes = 16 << 20 });
        int status = kernel.Run(new MemoryExecutable(File.ReadAllBytes(Guest("fault"))), "fault", ["fault"]);
        Assert.Null(kernel.PanicReason);
        Assert.Equal(-1, status);
    }
}
