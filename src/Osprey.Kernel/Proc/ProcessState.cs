namespace Osprey.Kernel.Proc;

public enum ProcessState
{
    /// <summary>Alive: its thread runs, sleeps or waits for a CPU.</summary>
    Alive,
    /// <summary>Exited; waits for its parent to collect the status and free it.</summary>
    Zombie,
}
