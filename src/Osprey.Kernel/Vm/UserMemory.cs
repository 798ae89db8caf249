using Osprey.Machine.Memory;

namespace Osprey.Kernel.Vm;

/// <summary>
/// copyin, copyout and copyinstr: moving bytes between the kernel and a user address space
/// through its page table. User memory is hostile: every page is checked for V and U (and W
/// when writing), and an address that fails gives false, never an exception. Nothing is
/// written by CopyOut unless every page of the destination is writable. Each copy holds the
/// range locks of what it touches, so another thread of the task cannot unmap (and free) a
/// page between its check and its copy.
/// </summary>
public static class UserMemory
{
    public static bool CopyOut(this PageTable table, PhysicalMemory memory, ulong va, ReadOnlySpan<byte> source)
    {
        if (va + (ulong)source.Length < va)
            return false;
        using RangeLocks.Held held = table.Locks.Hold(va, va + (ulong)source.Length);
        if (!Writable(table, va, (ulong)source.Length))
            return false;
        while (!source.IsEmpty)
        {
            int chunk = Chunk(va, source.Length);
            memory.Write(table.Translate(va), source[..chunk]);
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
            ulong pa = table.Translate(va);
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
            ulong pa = table.Translate(va);
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

    /// <summary>Whether [va, va+length) is writable user memory now (a check ahead of a later copy, which checks again).</summary>
    public static bool IsWritable(PageTable table, ulong va, ulong length)
    {
        using RangeLocks.Held held = table.Locks.Hold(va, va + length);
        return Writable(table, va, length);
    }

    private static bool Writable(PageTable table, ulong va, ulong length)
    {
        if (va + length < va || va + length > PageTable.MaxVirtualAddress)
            return false;
        for (ulong page = PageTable.RoundDown(va); page < va + length; page += PageTable.PageSize)
        {
            ulong pte = table.Lookup(page);
            if ((pte & (Pte.V | Pte.U | Pte.W)) != (Pte.V | Pte.U | Pte.W))
                return false;
        }
        return true;
    }

    private static int Chunk(ulong va, int left) =>
        (int)Math.Min((ulong)left, PageTable.PageSize - (va & (PageTable.PageSize - 1)));
}
