using Osprey.Kernel.Mem;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// usertests' quick subset with each frame allocator other than the default (which the full
/// suite runs with, <see cref="UsertestsTests"/>), on 1 and 3 CPUs, with the leak check. A class
/// of its own, so that it runs beside the other end-to-end classes.
/// </summary>
public class AllocatorSuiteTests
{
    public static TheoryData<string, int> Allocators()
    {
        var data = new TheoryData<string, int>();
        foreach (string allocator in FrameAllocator.PolicyNames.Skip(1))
        {
            data.Add(allocator, 1);
            data.Add(allocator, 3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void QuickSuitePasses(string allocator, int cpus) =>
        UsertestsTests.AssertPasses(KernelRun.Program(new KernelOptions { Cpus = cpus, Allocator = allocator }, null, "usertests", "-q"));
}
