using Osprey.Kernel.Pebbles;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Trap;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// swexn: Pebbles' software exception handlers (Pebbles/ExceptionHandlers.cs delivers them).
public sealed partial class SystemCalls
{
    /// <summary>
    /// swexn(esp3, eip, arg, newureg): registers eip as the calling thread's handler, to run on
    /// the stack below esp3 with arg (or, with esp3 or eip NULL, deregisters the handler); then,
    /// if newureg is not NULL, the thread resumes with its registers instead of returning.
    /// Everything is checked before anything changes: esp3 and eip inside user space, the ureg
    /// readable (EFAULT), its status free of privileged bits, its fcsr of undefined ones and its
    /// pc inside user space (EINVAL). A refused call changes nothing.
    /// </summary>
    private long Swexn()
    {
        UserThread me = MyThread;
        ulong esp3 = ArgAddress(0), eip = ArgAddress(1), argument = ArgAddress(2), newureg = ArgAddress(3);
        bool registering = esp3 != 0 && eip != 0;
        if (registering && !ExceptionHandlers.UsableStack(esp3, eip))
            return AbiConstants.PEBBLES_EINVAL;
        TrapFrame? resumed = null;
        if (newureg != 0)
        {
            PageTable table = Me.PageTable!;
            if (!table.Accessible(newureg, Upcall.FrameBytes, write: false))
                return AbiConstants.PEBBLES_EFAULT;
            resumed = new TrapFrame();
            resumed.CopyFrom(me.TrapFrame);
            if (!Upcall.Resume(table, kernel.Memory, resumed, newureg))
                return AbiConstants.PEBBLES_EINVAL;
        }
        me.ExceptionHandler = registering ? new SwexnHandler(esp3, eip, argument) : null;
        if (resumed == null)
            return 0;
        me.TrapFrame.CopyFrom(resumed);
        // The dispatcher writes the result into a0: make it the ureg's own a0.
        return (long)resumed[TrapFrame.A0];
    }
}
