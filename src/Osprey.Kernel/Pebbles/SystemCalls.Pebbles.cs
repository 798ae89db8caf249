using Osprey.Kernel.Exec;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// The Pebbles personality's life-cycle, memory and file calls: fork, exec, new_pages,
// remove_pages, readfile (docs/pebbles.md). Errors are the negative PEBBLES_ codes; the
// thread calls are in Syscalls/SystemCalls.Threads.cs, the console's in
// SystemCalls.PebblesConsole.cs, swexn in SystemCalls.Swexn.cs.
public sealed partial class SystemCalls
{
    /// <summary>Pebbles' fork: as xv6's (only the calling thread is copied), with a negative code when it fails.</summary>
    private long PebblesFork() => kernel.Lifecycle.Fork(MyThread) is long pid and >= 0 ? pid : AbiConstants.PEBBLES_ENOMEM;

    /// <summary>
    /// Pebbles' exec(execname, argvec): everything is checked and the new program loaded
    /// before anything of the caller is touched (the name, every argument pointer and string,
    /// the file, its ELF headers, memory for the new image), so a failing exec returns its code
    /// to a caller that is exactly as it was. Then the task's other threads end and the image
    /// replaces the old one; the swexn handler is cleared.
    /// </summary>
    private long PebblesExec()
    {
        UserThread me = MyThread;
        if (kernel.FileSystem is not { } fs)
            return AbiConstants.PEBBLES_ENOENT;
        if (ArgPath(0) is not { } path)
            return AbiConstants.PEBBLES_EFAULT;
        if (PebblesArgv(1, out int argvError) is not { } argv)
            return argvError;
        Inode? ip;
        using (HeldCwd cwd = CurrentDirectory())
            ip = fs.Paths.Namei(path, cwd.Inode);
        if (ip == null)
            return AbiConstants.PEBBLES_ENOENT;
        fs.Inodes.Lock(ip);
        LoadedImage? image = ip.Type == InodeType.File ? kernel.Loader.Load(new InodeExecutable(fs.Inodes, ip), argv) : null;
        int loadError = ip.Type == InodeType.File ? ProgramLoader.LastError : AbiConstants.PEBBLES_ENOEXEC;
        fs.Inodes.UnlockPut(ip);
        if (image == null)
            return loadError;
        if (!kernel.Lifecycle.EndOtherThreads(me))
        {
            ProgramLoader.Discard(image);
            return AbiConstants.PEBBLES_ESTATE;
        }
        me.ExceptionHandler = null;
        return kernel.Loader.Commit(me.Task, me.TrapFrame, image, LastElement(path));
    }

    /// <summary>exec's argvec as Pebbles reports it: null with EFAULT for a bad pointer or an unterminated string, E2BIG for too many.</summary>
    private List<byte[]>? PebblesArgv(int n, out int error)
    {
        PageTable table = Me.PageTable!;
        ulong argv = ArgAddress(n);
        var args = new List<byte[]>();
        error = AbiConstants.PEBBLES_EFAULT;
        for (int i = 0; ; i++)
        {
            if (!table.ReadUInt64(kernel.Memory, argv + (ulong)i * 8, out ulong pointer))
                return null;
            if (pointer == 0)
                return args;
            if (i == AbiConstants.MAXARG)
            {
                error = AbiConstants.PEBBLES_E2BIG;
                return null;
            }
            byte[]? arg = table.CopyInString(kernel.Memory, pointer, (int)PageTable.PageSize - 1);
            if (arg == null)
                return null;
            args.Add(arg);
        }
    }

    /// <summary>
    /// new_pages(base, len): maps [base, base+len) as zero-fill pages, each with a frame
    /// reserved now so its first touch cannot fail, as one region that remove_pages can take
    /// back. len must be a positive multiple of the page size, base page-aligned, the range
    /// inside the user address space (for a Pebbles program, at or above PEBBLES_USER_START)
    /// and wholly unused: no part of [image start, size) (text, data, an xv6 heap) and no
    /// region (the stack, earlier new_pages). The task's memory lock makes the check and the
    /// mapping one step with respect to its other threads' new_pages, remove_pages and sbrk.
    /// </summary>
    private long NewPages()
    {
        ulong start = ArgAddress(0);
        int length = ArgInt(1);
        if (length <= 0 || length % (int)PageTable.PageSize != 0 || start % PageTable.PageSize != 0)
            return AbiConstants.PEBBLES_EINVAL;
        ulong end = start + (ulong)length;
        Process me = Me;
        // Below a Pebbles-layout image (linked at 16 MiB) is not user memory; an xv6-layout one starts at 0.
        ulong lowest = me.PageTable!.ImageStart != 0 ? (ulong)AbiConstants.PEBBLES_USER_START : 0;
        if (start < lowest || end < start || end > PageTable.MaxVirtualAddress)
            return AbiConstants.PEBBLES_EINVAL;
        PageTable table = me.PageTable!;
        me.MemoryLock.Lock();
        long result = 0;
        if (start < PageTable.RoundUp(me.Size) || table.Regions.Overlaps(start, end))
            result = AbiConstants.PEBBLES_EBUSY;
        else if (table.Promise(start, end) == 0)
            result = AbiConstants.PEBBLES_ENOMEM;
        else
            table.Regions.Add(new Region(start, end, RegionKind.NewPages));
        me.MemoryLock.Unlock();
        return result;
    }

    /// <summary>remove_pages(base): unmaps the whole region one new_pages call made at base, giving back its frames and promises.</summary>
    private long RemovePages()
    {
        ulong start = ArgAddress(0);
        Process me = Me;
        PageTable table = me.PageTable!;
        me.MemoryLock.Lock();
        long result = AbiConstants.PEBBLES_EINVAL;
        if (table.Regions.StartingAt(start) is { Kind: RegionKind.NewPages } region)
        {
            // Out of the list first: from here a sibling's system call no longer takes the range as ours.
            table.Regions.Remove(start);
            table.RemoveRange(region.Start, region.End);
            result = 0;
        }
        me.MemoryLock.Unlock();
        return result;
    }

    /// <summary>
    /// readfile(filename, buf, count, offset): up to count bytes of the named file from offset
    /// into buf; the bytes read (0 at or past the end). Negative: a bad name or buffer
    /// (EFAULT), no such file (ENOENT), a negative count or offset (EINVAL).
    /// </summary>
    private long Readfile()
    {
        int count = ArgInt(2), offset = ArgInt(3);
        if (count < 0 || offset < 0)
            return AbiConstants.PEBBLES_EINVAL;
        if (ArgPath(0) is not { } path)
            return AbiConstants.PEBBLES_EFAULT;
        ulong buffer = ArgAddress(1);
        PageTable table = Me.PageTable!;
        if (!table.Accessible(buffer, (ulong)count, write: true))
            return AbiConstants.PEBBLES_EFAULT;
        if (kernel.FileSystem is not { } fs)
            return AbiConstants.PEBBLES_ENOENT;
        Inode? ip;
        using (HeldCwd cwd = CurrentDirectory())
            ip = fs.Paths.Namei(path, cwd.Inode);
        if (ip == null)
            return AbiConstants.PEBBLES_ENOENT;
        fs.Inodes.Lock(ip);
        int n = fs.Inodes.ReadToUser(ip, (ulong)offset, buffer, count, (va, bytes) => table.CopyOut(kernel.Memory, va, bytes));
        fs.Inodes.UnlockPut(ip);
        return n < 0 ? AbiConstants.PEBBLES_EFAULT : n;
    }
}
