using Osprey.Kernel.Sched;

namespace Osprey.Kernel;

/// <summary>xv6's panic(): a kernel invariant broke. Never for a user's mistake.</summary>
public static class Panic
{
    public static KernelPanicException Now(string what)
    {
        KThread? thread = KThread.Current;
        string where = thread == null
            ? "no kernel thread"
            : $"cpu {thread.Cpu?.Id.ToString() ?? "-"}, thread {thread.Id} ({thread.Name})";
        return new KernelPanicException($"panic: {what} [{where}]");
    }
}
