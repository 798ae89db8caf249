using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// copyin, copyout and copyinstr: moving bytes between the kernel and a user address space
/// through its page table. User memory is hostile: every page is checked for V and U (and W
/// when writing), and an address that fails gives false, never an exception. A page the
/// process may touch but that is not ready yet (copy-on-write, promised, lazy heap) goes
/// through the fault path first, exactly as the same user access would (PageFaults). Nothing
/// is written by CopyOut unless every page of the destination is the process's to write.
/// Each copy holds the range locks of what it touches (the fault path runs under them), so
/// another thread of the task cannot unmap and free a page between its check and its copy.
/// </summary>
public static class UserMemory
{
    public static bool CopyOut(this PageTable table, PhysicalMemory memory, ulong va, ReadOnlySpan<byte> source)
    {
        if (va + (ulong)source.Length < va)
            return false;
        using RangeLocks.Held held = table.Locks.Hold(va, va + (ulong)source.Length);
        if (!table.Accessible(va, (ulong)source.Length, write: true))
            return false;
        while (!source.IsEmpty)
        {
            ulong pa = table.TranslateFor(va, AccessType.Store);
            if (pa == 0)
                return false;
            int chunk = Chunk(va, source.Length);
            memory.Write(pa, source[..chunk]);
            source = source[chunk..];
            va += (ulong)chunk;
        }
        return true;
    }

    public static bool CopyIn(this PageTable table, PhysicalMemory memory, Span<byte> destination, ulong va)
    {
        if (va + (ulong)destination.Length < va)
            return false;
        using RangeLocks.Held held = table.Locks.Hold(va, va + (ulong)destination.Length);
        while (!destination.IsEmpty)
        {
            ulong pa = table.TranslateFor(va, AccessType.Load);
            if (pa == 0)
                return false;
            int chunk = Chunk(va, destination.Length);
            memory.Read(pa, destination[..chunk]);
            destination = destination[chunk..];
            va += (ulong)chunk;
        }
        return true;
    }

    /// <summary>The bytes of a NUL-terminated string of at most <paramref name="max"/> bytes (NUL excluded), or null.</summary>
    public static byte[]? CopyInString(this PageTable table, PhysicalMemory memory, ulong va, int max)
    {
        var bytes = new List<byte>(64);
        while (bytes.Count <= max)
        {
            // A page at a time, under that page's range lock.
            using RangeLocks.Held held = table.Locks.Hold(va, va + 1);
            ulong pa = table.TranslateFor(va, AccessType.Load);
            if (pa == 0)
                return null;
            int inPage = (int)(PageTable.PageSize - (va & (PageTable.PageSize - 1)));
            for (int i = 0; i < inPage; i++)
            {
                byte b = memory.Read8(pa + (ulong)i);
                if (b == 0)
                    return bytes.ToArray();
                if (bytes.Count == max)
                    return null;
                bytes.Add(b);
            }
            va += (ulong)inPage;
        }
        return null;
    }

    public static bool ReadUInt64(this PageTable table, PhysicalMemory memory, ulong va, out ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        bool ok = table.CopyIn(memory, buffer, va);
        value = ok ? BitConverter.ToUInt64(buffer) : 0;
        return ok;
    }

    private static int Chunk(ulong va, int left) =>
        (int)Math.Min((ulong)left, PageTable.PageSize - (va & (PageTable.PageSize - 1)));
}
