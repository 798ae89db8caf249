using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Exec;

/// <summary>
/// exec: replaces a process's memory with a program, laid out as xv6 lays it out. Segments go
/// at their virtual addresses (page-aligned, as xv6 requires), then one guard page with U
/// cleared, then a one-page stack; the argument strings and the argv array go on the stack,
/// 16-byte aligned, with argc in a0 and argv in a1. Any failure leaves the process as it was.
/// </summary>
public sealed class ProgramLoader(VirtualMemory vm)
{
    private readonly PhysicalMemory memory = vm.Memory;

    public const int MaxArguments = 32;
    public const int StackPages = 1;

    /// <summary>Loads the program into a new address space and switches the process to it; -1 if anything is wrong.</summary>
    public long Exec(Process p, IExecutableFile file, string name, IReadOnlyList<byte[]> argv)
    {
        if (argv.Count > MaxArguments)
            return -1;
        Span<byte> headerBytes = stackalloc byte[ElfHeader.Size];
        if (file.Read(0, headerBytes) != ElfHeader.Size || !ElfHeader.TryParse(headerBytes, out ElfHeader header))
            return -1;

        PageTable? table = PageTable.Create(vm);
        if (table == null)
            return -1;
        ulong size = 0;
        if (!LoadSegments(table, file, header, ref size) || !BuildStack(table, ref size, argv, out ulong sp, out ulong argvAddress))
        {
            table.Free(size);
            return -1;
        }

        // Commit: nothing can fail from here on.
        PageTable? old = p.PageTable;
        ulong oldSize = p.Size;
        p.PageTable = table;
        table.Owner = p;
        p.Size = size;
        p.Name = name;
        p.TrapFrame.Pc = header.Entry;
        p.TrapFrame[TrapFrame.Sp] = sp;
        p.TrapFrame[TrapFrame.A1] = argvAddress;
        p.TrapFrame.ClearFloatingPoint();
        old?.Free(oldSize);
        return argv.Count; // lands in a0: argc
    }

    private bool LoadSegments(PageTable table, IExecutableFile file, ElfHeader header, ref ulong size)
    {
        Span<byte> phBytes = stackalloc byte[ProgramHeader.Size];
        for (int i = 0; i < header.ProgramHeaderCount; i++)
        {
            ulong at = header.ProgramHeaderOffset + (ulong)i * header.ProgramHeaderSize;
            if (file.Read(at, phBytes) != ProgramHeader.Size)
                return false;
            ProgramHeader ph = ProgramHeader.Parse(phBytes);
            if (ph.Type != ProgramHeader.Load)
                continue;
            ulong end = ph.VirtualAddress + ph.MemorySize;
            if (ph.MemorySize < ph.FileSize || end < ph.VirtualAddress || end > PageTable.MaxVirtualAddress
                || ph.VirtualAddress % PageTable.PageSize != 0 || ph.VirtualAddress < size)
                return false;
            ulong rights = (ph.Flags & ProgramHeader.FlagExecute) != 0 ? Pte.X : 0;
            rights |= (ph.Flags & ProgramHeader.FlagWrite) != 0 ? Pte.W : 0;
            // Any gap below the segment is mapped too (xv6 grows from the old size), so the
            // address space stays one contiguous range [0, size).
            ulong grown = table.Grow(size, end, rights);
            if (grown == 0)
                return false;
            size = grown;
            if (!CopySegment(table, file, ph))
                return false;
        }
        return size > 0;
    }

    private bool CopySegment(PageTable table, IExecutableFile file, ProgramHeader ph)
    {
        var chunk = new byte[PageTable.PageSize];
        for (ulong done = 0; done < ph.FileSize;)
        {
            ulong va = ph.VirtualAddress + done;
            int n = (int)Math.Min(ph.FileSize - done, PageTable.PageSize - (va % PageTable.PageSize));
            if (file.Read(ph.Offset + done, chunk.AsSpan(0, n)) != n)
                return false;
            ulong pa = table.Translate(va);
            if (pa == 0)
                throw Panic.Now($"exec: segment page 0x{va:x} not mapped after growing");
            memory.Write(pa, chunk.AsSpan(0, n));
            done += (ulong)n;
        }
        return true;
    }

    private bool BuildStack(PageTable table, ref ulong size, IReadOnlyList<byte[]> argv, out ulong sp, out ulong argvAddress)
    {
        sp = argvAddress = 0;
        ulong start = PageTable.RoundUp(size);
        ulong top = table.Grow(size, start + (StackPages + 1) * PageTable.PageSize, Pte.W);
        if (top == 0)
            return false;
        size = top;
        table.ClearUser(start); // the guard page below the stack
        ulong stackBase = top - StackPages * PageTable.PageSize;

        sp = top;
        var pointers = new ulong[argv.Count + 1];
        for (int i = 0; i < argv.Count; i++)
        {
            ulong length = (ulong)argv[i].Length + 1;
            if (sp < stackBase + length)
                return false;
            sp = (sp - length) & ~15UL;
            if (sp < stackBase)
                return false;
            byte[] text = new byte[length];
            argv[i].CopyTo(text, 0);
            if (!table.CopyOut(memory, sp, text))
                return false;
            pointers[i] = sp;
        }
        ulong tableBytes = (ulong)pointers.Length * 8;
        if (sp < stackBase + tableBytes)
            return false;
        sp = (sp - tableBytes) & ~15UL;
        if (sp < stackBase)
            return false;
        byte[] raw = new byte[tableBytes];
        for (int i = 0; i < pointers.Length; i++)
            BitConverter.TryWriteBytes(raw.AsSpan(i * 8), pointers[i]);
        if (!table.CopyOut(memory, sp, raw))
            return false;
        argvAddress = sp;
        return true;
    }
}
