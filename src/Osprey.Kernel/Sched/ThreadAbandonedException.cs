namespace Osprey.Kernel.Sched;

/// <summary>
/// Unwinds a kernel thread that was parked when its machine was torn down (not a panic: the
/// machine has halted, and nothing the thread would do matters any more).
/// </summary>
public sealed class ThreadAbandonedException : Exception
{
    public ThreadAbandonedException()
        : base("the machine was torn down while this kernel thread waited for a CPU")
    {
    }
}
