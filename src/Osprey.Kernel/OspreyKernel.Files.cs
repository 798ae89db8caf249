using Osprey.Kernel.Files;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel;

// Open files and working directories across process lifetimes.
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

    private void InheritFiles(Process parent, Process child)
    {
        for (int fd = 0; fd < parent.Files.Length; fd++)
        {
            if (parent.Files[fd] is { } f)
                child.Files[fd] = Files.Dup(f);
        }
        if (parent.Cwd != null)
            child.Cwd = FileSystem!.Inodes.Dup(parent.Cwd);
    }

    private void CloseFiles(Process p)
    {
        for (int fd = 0; fd < p.Files.Length; fd++)
        {
            if (p.Files[fd] is { } f)
            {
                p.Files[fd] = null;
                Files.Close(f);
            }
        }
        if (p.Cwd != null)
        {
            FileSystem!.Inodes.Put(p.Cwd);
            p.Cwd = null;
        }
    }
}
