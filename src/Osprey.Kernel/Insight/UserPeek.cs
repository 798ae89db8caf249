using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Insight;

/// <summary>
/// Reads (and, for the debugger, writes) a process's memory for an observer: through its
/// page table, without the range locks and without the fault path, so that looking changes
/// nothing (no lazy page is made, no copy-on-write copy taken, no counter moves). A page that
/// is not present just cannot be read. Another thread of the task may unmap a page at the
/// same moment; then the bytes read are stale, never a host error: guest memory is only
/// memory.
/// </summary>
public readonly struct UserPeek(PageTable table, PhysicalMemory memory)
{
    /// <summary>Reads <paramref name="destination"/>'s length from <paramref name="va"/>; false if some page is absent.</summary>
    public bool TryRead(ulong va, Span<byte> destination)
    {
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

    /// <summary>
    /// Writes <paramref name="source"/> at <paramref name="va"/> whatever the page's permissions
    /// (a debugger may patch code), but never into a frame another mapping shares: a
    /// copy-on-write or zero page is refused. False if some page cannot be written.
    /// </summary>
    public bool TryWrite(ulong va, ReadOnlySpan<byte> source)
    {
        for (ulong page = PageTable.RoundDown(va); page < va + (ulong)source.Length; page += PageTable.PageSize)
        {
            ulong pte = table.Lookup(page);
            if ((pte & (Pte.V | Pte.U)) != (Pte.V | Pte.U) || (pte & (SoftwarePte.Cow | SoftwarePte.Zero)) != 0)
                return false;
        }
        while (!source.IsEmpty)
        {
            ulong pa = table.Translate(va);
            int chunk = Chunk(va, source.Length);
            memory.Write(pa, source[..chunk]);
            source = source[chunk..];
            va += (ulong)chunk;
        }
        return true;
    }

    public bool TryReadUInt64(ulong va, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        bool ok = TryRead(va, b);
        value = ok ? BitConverter.ToUInt64(b) : 0;
        return ok;
    }

    /// <summary>The NUL-terminated string at <paramref name="va"/>, at most <paramref name="max"/> bytes of it; null if unreadable. <paramref name="truncated"/> says whether more followed.</summary>
    public byte[]? ReadString(ulong va, int max, out bool truncated)
    {
        var bytes = new List<byte>();
        truncated = false;
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            if (!TryRead(va + (ulong)bytes.Count, one))
                return bytes.Count == 0 ? null : bytes.ToArray();
            if (one[0] == 0)
                return bytes.ToArray();
            if (bytes.Count == max)
            {
                truncated = true;
                return bytes.ToArray();
            }
            bytes.Add(one[0]);
        }
    }

    private static int Chunk(ulong va, int left) =>
        (int)Math.Min((ulong)left, PageTable.PageSize - (va & (PageTable.PageSize - 1)));
}
