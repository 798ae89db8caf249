using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Exec;

/// <summary>
/// exec: replaces a process's memory with a program. A PT_NOTE may name the program's
/// personality (<see cref="PersonalityNote"/>), which chooses the layout:
///
///   xv6      as xv6 lays it out: segments at their virtual addresses (page-aligned, as xv6
///            requires) from 0, any gap below them mapped too, then one guard page with U
///            cleared, then a one-page stack; argc in a0, argv in a1
///   Pebbles  (a Pebbles program linked at or above PEBBLES_USER_START; one linked lower is
///            laid out as xv6's) segments at their link addresses, nothing
///            mapped below the first; the stack a region of its own at the very top of the
///            user address space, with free space below it to grow into (new_pages);
///            _main's arguments: argc, argv, stack_high (the top) and stack_low (the lowest
///            address mapped) in a0..a3
///
/// The argument strings and the argv array go on the stack, 16-byte aligned. Any failure
/// leaves the process as it was.
/// </summary>
public sealed class ProgramLoader(VirtualMemory vm)
{
    private readonly PhysicalMemory memory = vm.Memory;

    public const int MaxArguments = 32;
    public const int StackPages = 1;

    /// <summary>A Pebbles stack's pages beyond those its arguments fill (autostack grows it further).</summary>
    public const int PebblesStackPages = 2;

    /// <summary>The most bytes of argument strings and pointers a Pebbles exec takes.</summary>
    public const int PebblesArgumentBytes = 64 * 1024;

    /// <summary>Why the last <see cref="Load"/> on this thread failed (exec's Pebbles error code).</summary>
    [ThreadStatic] private static int t_lastError;

    /// <summary>The PEBBLES_ code of why the latest Load on this thread returned null.</summary>
    public static int LastError => t_lastError;

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
        t_lastError = AbiConstants.PEBBLES_E2BIG;
        if (argv.Count > MaxArguments)
            return null;
        t_lastError = AbiConstants.PEBBLES_ENOEXEC;
        Span<byte> headerBytes = stackalloc byte[ElfHeader.Size];
        if (file.Read(0, headerBytes) != ElfHeader.Size || !ElfHeader.TryParse(headerBytes, out ElfHeader header))
            return null;
        if (!Survey(file, header, out Personality personality, out ulong lowest))
            return null;
        // The Pebbles layout is for programs linked where Pebbles puts them; a program with the
        // Pebbles note linked below (an xv6-runtime program that wants only Pebbles' fault
        // conventions, as pebfault) keeps xv6's layout.
        bool pebbles = personality == Personality.Pebbles && lowest >= (ulong)AbiConstants.PEBBLES_USER_START;
        if (pebbles && header.Entry < lowest)
            return null;
        if (pebbles && ArgumentBytes(argv) > PebblesArgumentBytes)
        {
            t_lastError = AbiConstants.PEBBLES_E2BIG;
            return null;
        }

        t_lastError = AbiConstants.PEBBLES_ENOMEM;
        PageTable? table = PageTable.Create(vm);
        if (table == null)
            return null;
        ulong size = pebbles ? lowest : 0;
        table.ImageStart = size;
        t_lastError = AbiConstants.PEBBLES_ENOEXEC;
        bool loaded = LoadSegments(table, file, header, ref size);
        t_lastError = AbiConstants.PEBBLES_ENOMEM;
        ulong sp = 0, argvAddress = 0, stackLow = 0;
        bool built = loaded && (pebbles
            ? BuildPebblesStack(table, argv, out sp, out argvAddress, out stackLow)
            : BuildStack(table, ref size, argv, out sp, out argvAddress));
        if (!built)
        {
            table.Free(size);
            return null;
        }
        table.HeapStart = size;
        return new LoadedImage(table, size, header.Entry, sp, argvAddress, argv.Count, personality)
        {
            StackHigh = pebbles ? PageTable.MaxVirtualAddress : 0,
            StackLow = stackLow,
        };
    }

    /// <summary>
    /// Reads every program header once before anything is mapped: the personality (the note
    /// may come after the segments) and the lowest segment address. False if a header cannot
    /// be read or there is no segment to load.
    /// </summary>
    private static bool Survey(IExecutableFile file, ElfHeader header, out Personality personality, out ulong lowest)
    {
        personality = Personality.Xv6;
        lowest = ulong.MaxValue;
        Span<byte> phBytes = stackalloc byte[ProgramHeader.Size];
        for (int i = 0; i < header.ProgramHeaderCount; i++)
        {
            ulong at = header.ProgramHeaderOffset + (ulong)i * header.ProgramHeaderSize;
            if (file.Read(at, phBytes) != ProgramHeader.Size)
                return false;
            ProgramHeader ph = ProgramHeader.Parse(phBytes);
            if (ph.Type == ProgramHeader.Note && PersonalityNote.Read(file, ph) is { } named)
                personality = named;
            if (ph.Type == ProgramHeader.Load && ph.MemorySize > 0)
                lowest = Math.Min(lowest, PageTable.RoundDown(ph.VirtualAddress));
        }
        return lowest != ulong.MaxValue;
    }

    /// <summary>The stack bytes the strings (with their NULs, 16-aligned) and the pointer array take.</summary>
    private static ulong ArgumentBytes(IReadOnlyList<byte[]> argv)
    {
        ulong bytes = (ulong)(argv.Count + 1) * 8 + 16;
        foreach (byte[] arg in argv)
            bytes += ((ulong)arg.Length + 1 + 15) & ~15UL;
        return bytes;
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
        if (image.Personality == Personality.Pebbles)
        {
            frame[TrapFrame.A2] = image.StackHigh;
            frame[TrapFrame.A3] = image.StackLow;
        }
        frame.ClearFloatingPoint();
        old?.Free(oldSize);
        return image.Argc;
    }

    /// <summary>Frees a loaded image that will not be run.</summary>
    public static void Discard(LoadedImage image) => image.Table.Free(image.Size);

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
            // address space stays one contiguous range [image start, size).
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
        return WriteArguments(table, stackBase, top, argv, out sp, out argvAddress);
    }

    /// <summary>
    /// The Pebbles stack: a region ending at the top of the user address space, as many pages
    /// as the arguments need plus <see cref="PebblesStackPages"/>, eagerly backed.
    /// </summary>
    private bool BuildPebblesStack(PageTable table, IReadOnlyList<byte[]> argv, out ulong sp, out ulong argvAddress, out ulong stackLow)
    {
        sp = argvAddress = 0;
        ulong high = PageTable.MaxVirtualAddress;
        stackLow = high - PageTable.RoundUp(ArgumentBytes(argv)) - PebblesStackPages * PageTable.PageSize;
        if (table.Grow(stackLow, high, Pte.W) == 0)
            return false;
        table.Regions.Add(new Region(stackLow, high, RegionKind.Stack));
        return WriteArguments(table, stackLow, high, argv, out sp, out argvAddress);
    }

    /// <summary>Copies the strings and the argv array below <paramref name="top"/>, no lower than <paramref name="stackBase"/>.</summary>
    private bool WriteArguments(PageTable table, ulong stackBase, ulong top, IReadOnlyList<byte[]> argv, out ulong sp, out ulong argvAddress)
    {
        argvAddress = 0;
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
