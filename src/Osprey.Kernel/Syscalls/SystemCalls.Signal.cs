namespace Osprey.Kernel.Syscalls;

// Signals (Osprey's calls 210-216; Signal/Signals.cs): errors are -1, as xv6's.
public sealed partial class SystemCalls
{
    /// <summary>__signal(sig, handler, trampoline): the runtime's signal() passes its sigreturn trampoline.</summary>
    private long Signal() => kernel.Signals.SetHandler(MyThread, ArgInt(0), ArgAddress(1), ArgAddress(2));

    private long Sigsend() => kernel.Signals.Send(ArgInt(0), ArgInt(1)) ? 0 : -1;

    /// <summary>sigreturn: the registers come back from the handler's frame; a0 is the interrupted code's a0.</summary>
    private long Sigreturn() => kernel.Signals.Return(MyThread);

    private long Alarm() => kernel.Signals.Alarm(MyThread, ArgInt(0));

    private long Sigprocmask() => kernel.Signals.ChangeMask(MyThread, ArgInt(0), ArgInt(1));

    private long Sigpending() => Me.Signals.Pending & MyThread.SignalMask;

    private long Pause() => kernel.Signals.Pause(MyThread);
}
