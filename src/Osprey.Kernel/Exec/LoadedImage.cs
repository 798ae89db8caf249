using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Exec;

/// <summary>
/// A program loaded into a new address space that no process runs yet: exec builds one, ends
/// the task's other threads, and only then commits to it (or discards it), so a failing exec
/// changes nothing.
/// </summary>
public sealed record LoadedImage(PageTable Table, ulong Size, ulong Entry, ulong StackPointer, ulong ArgvAddress, int Argc, Personality Personality)
{
    /// <summary>A Pebbles program's stack_high: one past the top of its stack (0 for xv6).</summary>
    public ulong StackHigh { get; init; }

    /// <summary>A Pebbles program's stack_low: the lowest address of the stack exec mapped (0 for xv6).</summary>
    public ulong StackLow { get; init; }
}
