using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Exec;

/// <summary>
/// exec: replaces a process's memory with a program, laid out as xv6 lays it out. Segments go
/// at their virtual addresses (page-aligned, as xv6 requires), then one guard page with U
/// cleared, then a one-page stack; the argument strings and the argv array go on the stack,
/// 16-byte aligned, with argc in a0 and argv in a1. A PT_NOTE may name the program's
/// personality (<see cref="PersonalityNote"/>). Any failure leaves the process as it was.
/// </summary>
public sealed class ProgramLoader(VirtualMemory vm)
{
    private readonly PhysicalMemory memory = vm.Memory;

    public const int MaxArguments = 32;
    public const int StackPages = 1;

    /// <summary>Loads the program into a new address space and switches the process and its thread to it; -1 if anything is wrong.</summary>
    public long Exec(Process p, TrapFrame frame, IExecutableFile file, string name, IReadOnlyList<byte[]> argv)
    {
        LoadedImage? image = Load(file, argv);
        if (image == null)
            return -1;
        return Commit(p, frame, image, name);
    }

    /// <summary>The program loaded into a new address space, or null if anything is wrong (nothing is left behind).</summary>
    public LoadedImage? Load(IExecutableFile file, IReadOnlyList<byte[]> argv)
    {
        if (argv.Count > MaxArguments)
            return null;
        Span<byte> headerBytes = stackalloc byte[ElfHeader.Size];
        if (file.Read(0, headerBytes) != ElfHeader.Size || !ElfHeader.TryParse(headerBytes, out ElfHeader header))
            return null;

        PageTable? table = PageTable.Create(vm);
        if (table == null)
            return null;
        ulong size = 0;
        Personality personality = Personality.Xv6;
        if (!LoadSegments(table, file, header, ref size, ref personality) || !BuildStack(table, ref size, argv, out ulong sp, out ulong argvAddress))
        {
            table.Free(size);
            return null;
        }
        return new LoadedImage(table, size, header.Entry, sp, argvAddress, argv.Count, personality);
    }

    /// <summary>
    /// Switches the process to a loaded image (the caller's thread is its only one) and frees
    /// the old address space; returns argc, which lands in a0. Nothing can fail here.
    /// </summary>
    public long Commit(Process p, TrapFrame frame, LoadedImage image, string name)
    {
        p.MemoryLock.Lock();
        PageTable? old = p.PageTable;
        ulong oldSize = p.Size;
        p.PageTable = image.Table;
        image.Table.Owner = p;
        p.Size = image.Size;
        p.MemoryLock.Unlock();
        p.Name = name;
        p.Personality = image.Personality;
        frame.Pc = image.Entry;
        frame[TrapFrame.Sp] = image.StackPointer;
        frame[TrapFrame.A1] = image.ArgvAddress;
        frame.ClearFloatingPoint();
        old?.Free(oldSize);
        return image.Argc;
    }

    /// <summary>Frees a loaded image that will not be run.</summary>
    public static void Discard(LoadedImage image) => image.Table.Free(image.Size);

    private bool LoadSegments(PageTable table, IExecutableFile file, ElfHeader header, ref ulong size, ref Personality personality)
    {
        Span<byte> phBytes = stackalloc byte[ProgramHeader.Size];
        for (int i = 0; i < header.ProgramHeaderCount; i++)
        {
            ulong at = header.ProgramHeaderOffset + (ulong)i * header.ProgramHeaderSize;
            if (file.Read(at, phBytes) != ProgramHeader.Size)
                return false;
            ProgramHeader ph = ProgramHeader.Parse(phBytes);
            if (ph.Type == ProgramHeader.Note && PersonalityNote.Read(file, ph) is { } named)
                personality = named;
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
