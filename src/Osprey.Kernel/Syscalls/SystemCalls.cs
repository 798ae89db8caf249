using Osprey.Kernel.Proc;

namespace Osprey.Kernel.Syscalls;

/// <summary>
/// The system calls. abi/syscalls.tbl lists them; the generated Dispatch calls one method
/// per line of it, each implemented in a file of its family (SystemCalls.*.cs). Every
/// argument comes from the caller's trap frame and is checked here: a bad pointer, length,
/// descriptor or number gives -1, never an exception.
/// </summary>
public sealed partial class SystemCalls(OspreyKernel kernel)
{
    /// <summary>The calling thread.</summary>
    private static UserThread MyThread => UserThread.Current ?? throw Panic.Now("a system call from a kernel thread with no user thread");

    /// <summary>The calling thread's process.</summary>
    private static Process Me => ProcessTable.Current;

    /// <summary>Argument n as a C int (xv6's argint): the low 32 bits, sign-extended.</summary>
    private static int ArgInt(int n) => (int)MyThread.TrapFrame.Argument(n);

    /// <summary>Argument n as a user address (xv6's argaddr); checked when used.</summary>
    private static ulong ArgAddress(int n) => MyThread.TrapFrame.Argument(n);
}
