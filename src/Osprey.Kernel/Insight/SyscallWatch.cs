using Osprey.Kernel.Proc;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Insight;

/// <summary>
/// What watches system calls: strace, the trace, or both. The trap handler asks
/// <see cref="Enter"/> before dispatching a call and hands the answer to <see cref="Exit"/>
/// with the result; a kernel booted with neither has no watch (the hook is a null check).
/// </summary>
public sealed class SyscallWatch(PhysicalMemory memory, Strace? strace, Tracer? tracer)
{
    /// <summary>The call <paramref name="t"/> is making, decoded, or null if nobody watches its task.</summary>
    public Entry? Enter(UserThread t)
    {
        bool straced = strace?.Watches(t) ?? false;
        if (!straced && tracer == null || t.Task.PageTable is not { } table)
            return null;
        var peek = new UserPeek(table, memory);
        return new Entry(SyscallCall.Enter(t.TrapFrame, peek), peek, straced, tracer?.Now() ?? 0);
    }

    public void Exit(UserThread t, Entry? entry, long result)
    {
        if (entry == null)
            return;
        // After exec the task has a new page table: what the call filled is read through it.
        UserPeek peek = t.Task.PageTable is { } table ? new UserPeek(table, memory) : entry.Peek;
        SyscallCall call = entry.Call;
        string arguments = call.Arguments(result, peek);
        string shown = call.Result(result);
        if (entry.Straced)
            strace!.Write(t, $"{call.Name}({arguments}) = {shown}");
        tracer?.Syscall(t, call, entry.Entered, arguments, shown);
    }

    /// <summary>A call in progress: what it is, the memory it came from, whether strace shows it, and when it began (trace time).</summary>
    public sealed record Entry(SyscallCall Call, UserPeek Peek, bool Straced, long Entered);
}
