using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// A range of a user address space that a read or write system call names: the devices and
/// file layers copy through it without knowing about page tables.
/// </summary>
public readonly struct UserBuffer(PageTable table, PhysicalMemory memory, ulong address)
{
    public ulong Address => address;

    /// <summary>Copies to user memory at Address + offset; false if that memory is not writable user memory.</summary>
    public bool CopyOut(ulong offset, ReadOnlySpan<byte> source) => table.CopyOut(memory, address + offset, source);

    /// <summary>Copies from user memory at Address + offset; false if it is not user memory.</summary>
    public bool CopyIn(ulong offset, Span<byte> destination) => table.CopyIn(memory, destination, address + offset);
}
