using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// <c>--max-threads N</c>, shared by run and boot: the most user threads of all processes
/// together. Each is a kernel thread backed by a host thread, so the limit keeps a program
/// that makes threads without end from exhausting the host; thread_fork and fork fail beyond it.
/// </summary>
public static class MaxThreadsOption
{
    public static Option<int> Create()
    {
        var option = new Option<int>("--max-threads")
        {
            HelpName = "N",
            Description = "The most user threads at once, of all processes together",
            DefaultValueFactory = _ => KernelOptions.DefaultMaxThreads,
        };
        return option.Within(2, 65536);
    }
}
