using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel.Signal;

/// <summary>
/// A task's signals: what each signal does (its disposition: default, ignore, or a handler
/// address), the signals sent and not yet taken by a thread (pending, task-wide as POSIX has
/// it), the trampoline handlers return through, and the alarm. Each thread's blocked set is
/// its own (<see cref="Proc.UserThread.SignalMask"/>).
///
/// The task's lock (<see cref="Proc.Process.Lock"/>) protects every field; <see cref="Pending"/>
/// is also read without it, as a hint, at every return to user mode and by interruptible waits.
/// </summary>
public sealed class SignalState
{
    public const int Count = AbiConstants.NSIG;

    private readonly ulong[] _dispositions = new ulong[Count];
    private int _pending;

    /// <summary>Signals sent and not yet delivered, one bit each (bit n for signal n).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Where a handler returns to: the runtime's trampoline into sigreturn (given with each handler).</summary>
    internal ulong Trampoline { get; set; }

    /// <summary>The tick the alarm goes off at, or 0 for none.</summary>
    internal long AlarmTick { get; set; }

    /// <summary>Caller holds the task's lock.</summary>
    internal ulong Disposition(int sig) => _dispositions[sig];

    /// <summary>Caller holds the task's lock. Sets a disposition and returns the old one; ignoring a signal discards it if pending.</summary>
    internal ulong SetDisposition(int sig, ulong disposition)
    {
        ulong old = _dispositions[sig];
        _dispositions[sig] = disposition;
        if (Ignored(sig))
            Clear(sig);
        return old;
    }

    /// <summary>Caller holds the task's lock. Whether sending sig now does nothing at all (ignored, or SIGCHLD by default).</summary>
    internal bool Ignored(int sig) =>
        _dispositions[sig] == AbiConstants.SIGH_IGN || (_dispositions[sig] == AbiConstants.SIGH_DFL && sig == AbiConstants.SIGCHLD);

    /// <summary>Caller holds the task's lock.</summary>
    internal void Raise(int sig) => Volatile.Write(ref _pending, _pending | Bit(sig));

    /// <summary>Caller holds the task's lock.</summary>
    internal void Clear(int sig) => Volatile.Write(ref _pending, _pending & ~Bit(sig));

    /// <summary>Caller holds the parent's lock (fork): dispositions and the trampoline are inherited; nothing pending, no alarm.</summary>
    internal void InheritFrom(SignalState parent)
    {
        parent._dispositions.CopyTo(_dispositions, 0);
        Trampoline = parent.Trampoline;
    }

    /// <summary>Caller holds the task's lock (exec): caught signals go back to their default; ignored ones stay ignored.</summary>
    internal void ResetHandlers()
    {
        for (int sig = 1; sig < Count; sig++)
        {
            if (_dispositions[sig] > AbiConstants.SIGH_IGN)
                _dispositions[sig] = AbiConstants.SIGH_DFL;
        }
        Trampoline = 0;
    }

    public static int Bit(int sig) => 1 << sig;

    /// <summary>Whether sig names a signal (1 .. NSIG-1).</summary>
    public static bool Valid(int sig) => sig is > 0 and < Count;
}
