namespace Osprey.Kernel.Syscalls;

// swexn: Pebbles' software exception handlers.
public sealed partial class SystemCalls
{
    private long Swexn() => AbiConstants.PEBBLES_EINVAL; // arrives with the upcall (Trap/Upcall.cs)
}
