namespace Osprey.Kernel.Sched;

public enum ThreadState
{
    /// <summary>Made but not yet given to the scheduler.</summary>
    Embryo,
    Runnable,
    Running,
    Sleeping,
    /// <summary>Finished; its host thread has ended or is ending.</summary>
    Dead,
}
