using Osprey.Kernel.Files;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel;

// The first program's open files (a task's later files: Proc/Lifecycle.Files.cs).
public sealed partial class OspreyKernel
{
    /// <summary>
    /// fds 0, 1 and 2 on the console for the first program, and the root as its directory.
    /// The console needs no node on the disk, so any xv6 image works; if the image has a
    /// console node, the files carry its inode so that fstat describes it.
    /// </summary>
    private void OpenStandardFiles(Process p)
    {
        Inode? node = null;
        if (FileSystem != null)
        {
            p.Cwd = FileSystem.Root();
            node = FileSystem.Paths.Namei("/console"u8, null);
            if (node != null)
            {
                FileSystem.Inodes.Lock(node);
                bool isConsole = node.Type == InodeType.Device && node.Major == AbiConstants.CONSOLE;
                FileSystem.Inodes.Unlock(node);
                if (!isConsole)
                {
                    FileSystem.Inodes.Put(node);
                    node = null;
                }
            }
        }
        OpenFile? console = Files.Allocate(FileKind.Device, readable: true, writable: true, node, AbiConstants.CONSOLE);
        if (console == null)
            throw Panic.Now("no open file for the console");
        p.Files[0] = console;
        p.Files[1] = Files.Dup(console);
        p.Files[2] = Files.Dup(console);
    }
}
