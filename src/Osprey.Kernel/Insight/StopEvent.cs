using Osprey.Kernel.Proc;

namespace Osprey.Kernel.Insight;

/// <summary>Why the machine stopped for the debugger: the thread that stopped it and the signal gdb is told (5 SIGTRAP for a breakpoint or step, 2 SIGINT for Ctrl-C).</summary>
public sealed record StopEvent(UserThread Thread, int Signal)
{
    public const int SigInt = 2, SigTrap = 5;
}
