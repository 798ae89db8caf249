using Osprey.Kernel.Proc;

namespace Osprey.Kernel.Insight;

/// <summary>
/// --strace [PID...]: every system call of the traced tasks (all of them when no pid is
/// given) as one line on the diagnostics stream, in strace's format with the thread's id in
/// front, as strace -f writes it: <c>[pid 5] open("README", O_RDONLY) = 3</c>. A line is
/// written when its call returns, whole, so lines of calls that block (a read of the
/// console) appear when they finish, and lines from several CPUs never interleave mid-line;
/// a call that never returns (exit) shows "= ?".
/// </summary>
public sealed class Strace(TextWriter output, IReadOnlyCollection<int> pids)
{
    private readonly HashSet<int> _pids = [.. pids];

    /// <summary>Whether calls of <paramref name="t"/>'s task are traced.</summary>
    public bool Watches(UserThread t) => _pids.Count == 0 || _pids.Contains(t.Task.Pid);

    public void Write(UserThread t, string line)
    {
        lock (output)
            output.WriteLine($"[pid {t.Tid}] {line}");
    }
}
